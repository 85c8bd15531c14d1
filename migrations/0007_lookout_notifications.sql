CREATE TABLE "lookout_notification" (
	"lookout_id" text PRIMARY KEY NOT NULL,
	"emails_enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lookout_notification" ADD CONSTRAINT "lookout_notification_lookout_id_lookout_id_fk" FOREIGN KEY ("lookout_id") REFERENCES "public"."lookout"("id") ON DELETE cascade ON UPDATE no action;