CREATE TABLE "payment_dispute" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"status" text NOT NULL,
	"stage" text,
	"amount" text,
	"currency" text,
	"remarks" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "payment_dispute_payment_id_idx" ON "payment_dispute" USING btree ("payment_id");