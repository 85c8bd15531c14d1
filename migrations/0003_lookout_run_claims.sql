CREATE TABLE "lookout_run_claim" (
	"lookout_id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"resume_status" text NOT NULL,
	"attempt" integer,
	"started_at" timestamp with time zone,
	"search_reserved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "lookout_run_claim" ADD CONSTRAINT "lookout_run_claim_lookout_id_lookout_id_fk" FOREIGN KEY ("lookout_id") REFERENCES "public"."lookout"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lookout_run_claim_claimed_at_idx" ON "lookout_run_claim" USING btree ("claimed_at");--> statement-breakpoint
-- Written by hand (the seed's lookout table is not changed in the schema files): the dispatcher's claim
-- reads only active lookouts in next_run_at order, while paused and finished once-lookouts keep old
-- next_run_at values that would otherwise sit at the front of lookout_next_run_at_idx.
CREATE INDEX "lookout_due_idx" ON "lookout" USING btree ("next_run_at") WHERE "status" = 'active';
