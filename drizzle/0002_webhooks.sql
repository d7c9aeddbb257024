CREATE SCHEMA "webhooks";
--> statement-breakpoint
CREATE TABLE "webhooks"."owners" (
	"name" text PRIMARY KEY NOT NULL,
	"token_sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "owners_token_sha256_unique" UNIQUE("token_sha256")
);
--> statement-breakpoint
CREATE TABLE "webhooks"."webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner" text NOT NULL,
	"url" text NOT NULL,
	"query" text NOT NULL,
	"operation_name" text,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"field" text NOT NULL,
	"description" text,
	"secret" text NOT NULL,
	"cursor" bigint NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"paused_reason" text,
	"paused_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"failing_since" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"deliveries" bigint DEFAULT 0 NOT NULL,
	"failures" bigint DEFAULT 0 NOT NULL,
	"retries" bigint DEFAULT 0 NOT NULL,
	"last_delivery_at" timestamp with time zone,
	"pending_since" timestamp with time zone,
	"lease_holder" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "webhooks_status_check" CHECK ("webhooks"."webhooks"."status" IN ('active', 'paused')),
	CONSTRAINT "webhooks_field_check" CHECK ("webhooks"."webhooks"."field" IN ('noteEvent', 'factProcessed'))
);
--> statement-breakpoint
CREATE INDEX "webhooks_owner_idx" ON "webhooks"."webhooks" USING btree ("owner","created_at");--> statement-breakpoint
CREATE INDEX "webhooks_active_idx" ON "webhooks"."webhooks" USING btree ("lease_until") WHERE "webhooks"."webhooks"."status" = 'active';