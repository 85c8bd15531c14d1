CREATE TABLE "webhook_event" (
	"provider" text NOT NULL,
	"webhook_id" text NOT NULL,
	"event_type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_event_provider_webhook_id_pk" PRIMARY KEY("provider","webhook_id")
);
--> statement-breakpoint
CREATE INDEX "chat_user_id_created_at_id_idx" ON "chat" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "message_chat_id_created_at_id_idx" ON "message" USING btree ("chat_id","created_at","id");