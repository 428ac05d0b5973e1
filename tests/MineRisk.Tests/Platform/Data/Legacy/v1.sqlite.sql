-- MineRisk schema v1 (sqlite), frozen on 2026-11-22 from commit 7a4591b plus the deadline_extensions table name,
-- with a little data. Never edit: SchemaUpgradeTests starts from this to prove that upgrades keep data.

CREATE TABLE "attachments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_attachments" PRIMARY KEY AUTOINCREMENT,
    "sha256" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "uploaded_by_id" INTEGER NOT NULL,
    "uploaded_at" TEXT NOT NULL,
    "owner_type" TEXT NULL,
    "owner_id" INTEGER NULL,
    "region_code" TEXT NULL,
    "enterprise_id" INTEGER NULL,
    "purpose" TEXT NULL
);


CREATE TABLE "audit_entries" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_audit_entries" PRIMARY KEY,
    "at" TEXT NOT NULL,
    "user_id" INTEGER NULL,
    "user_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "entity_id" TEXT NULL,
    "region_code" TEXT NULL,
    "summary" TEXT NULL,
    "before" TEXT NULL,
    "after" TEXT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);


CREATE TABLE "deadlines" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_deadlines" PRIMARY KEY AUTOINCREMENT,
    "subject_type" TEXT NOT NULL,
    "subject_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "link" TEXT NULL,
    "region_code" TEXT NOT NULL,
    "enterprise_id" INTEGER NULL,
    "mine_id" INTEGER NULL,
    "assignee_user_id" INTEGER NULL,
    "organisation_id" INTEGER NULL,
    "start_at" TEXT NOT NULL,
    "due_at" TEXT NOT NULL,
    "warn_minutes" INTEGER NOT NULL,
    "paused_at" TEXT NULL,
    "paused_seconds" INTEGER NOT NULL,
    "completed_at" TEXT NULL,
    "round" INTEGER NOT NULL,
    "escalated_level" INTEGER NOT NULL,
    "next_escalation_at" TEXT NULL
);


CREATE TABLE "notifications" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_notifications" PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "kind" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NULL,
    "link" TEXT NULL,
    "deadline_id" INTEGER NULL,
    "created_at" TEXT NOT NULL,
    "read_at" TEXT NULL
);


CREATE TABLE "regions" (
    "code" TEXT NOT NULL CONSTRAINT "pk_regions" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "parent_code" TEXT NULL,
    "full_name" TEXT NULL,
    CONSTRAINT "fk_regions_regions_parent_code" FOREIGN KEY ("parent_code") REFERENCES "regions" ("code") ON DELETE RESTRICT
);


CREATE TABLE "roles" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_roles" PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NULL,
    "normalized_name" TEXT NULL,
    "concurrency_stamp" TEXT NULL
);


CREATE TABLE "timeline_entries" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_timeline_entries" PRIMARY KEY AUTOINCREMENT,
    "subject_type" TEXT NOT NULL,
    "subject_id" INTEGER NOT NULL,
    "region_code" TEXT NOT NULL,
    "enterprise_id" INTEGER NULL,
    "action" TEXT NOT NULL,
    "from_state" TEXT NULL,
    "to_state" TEXT NULL,
    "actor_id" INTEGER NULL,
    "actor_name" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "note" TEXT NULL,
    "attachment_ids" TEXT NULL
);


CREATE TABLE "deadline_escalations" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_deadline_escalations" PRIMARY KEY AUTOINCREMENT,
    "deadline_id" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "level" INTEGER NOT NULL,
    "at" TEXT NOT NULL,
    CONSTRAINT "fk_deadline_escalations_deadlines_deadline_id" FOREIGN KEY ("deadline_id") REFERENCES "deadlines" ("id") ON DELETE CASCADE
);


CREATE TABLE "deadline_extensions" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_deadline_extensions" PRIMARY KEY AUTOINCREMENT,
    "deadline_id" INTEGER NOT NULL,
    "old_due_at" TEXT NOT NULL,
    "new_due_at" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "requested_by_id" INTEGER NOT NULL,
    "approved_by_id" INTEGER NOT NULL,
    "at" TEXT NOT NULL,
    CONSTRAINT "fk_deadline_extensions_deadlines_deadline_id" FOREIGN KEY ("deadline_id") REFERENCES "deadlines" ("id") ON DELETE CASCADE
);


CREATE TABLE "organisations" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_organisations" PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "region_code" TEXT NOT NULL,
    "enterprise_id" INTEGER NULL,
    CONSTRAINT "fk_organisations_regions_region_code" FOREIGN KEY ("region_code") REFERENCES "regions" ("code") ON DELETE RESTRICT
);


CREATE TABLE "role_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_role_claims" PRIMARY KEY AUTOINCREMENT,
    "role_id" INTEGER NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "fk_role_claims_roles_role_id" FOREIGN KEY ("role_id") REFERENCES "roles" ("id") ON DELETE CASCADE
);


CREATE TABLE "users" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_users" PRIMARY KEY AUTOINCREMENT,
    "display_name" TEXT NOT NULL,
    "organisation_id" INTEGER NULL,
    "is_demo" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "user_name" TEXT NULL,
    "normalized_user_name" TEXT NULL,
    "email" TEXT NULL,
    "normalized_email" TEXT NULL,
    "email_confirmed" INTEGER NOT NULL,
    "password_hash" TEXT NULL,
    "security_stamp" TEXT NULL,
    "concurrency_stamp" TEXT NULL,
    "phone_number" TEXT NULL,
    "phone_number_confirmed" INTEGER NOT NULL,
    "two_factor_enabled" INTEGER NOT NULL,
    "lockout_end" TEXT NULL,
    "lockout_enabled" INTEGER NOT NULL,
    "access_failed_count" INTEGER NOT NULL,
    CONSTRAINT "fk_users_organisations_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations" ("id") ON DELETE RESTRICT
);


CREATE TABLE "user_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_user_claims" PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "fk_user_claims_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);


CREATE TABLE "user_logins" (
    "login_provider" TEXT NOT NULL,
    "provider_key" TEXT NOT NULL,
    "provider_display_name" TEXT NULL,
    "user_id" INTEGER NOT NULL,
    CONSTRAINT "pk_user_logins" PRIMARY KEY ("login_provider", "provider_key"),
    CONSTRAINT "fk_user_logins_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);


CREATE TABLE "user_roles" (
    "user_id" INTEGER NOT NULL,
    "role_id" INTEGER NOT NULL,
    CONSTRAINT "pk_user_roles" PRIMARY KEY ("user_id", "role_id"),
    CONSTRAINT "fk_user_roles_roles_role_id" FOREIGN KEY ("role_id") REFERENCES "roles" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_user_roles_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);


CREATE TABLE "user_tokens" (
    "user_id" INTEGER NOT NULL,
    "login_provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NULL,
    CONSTRAINT "pk_user_tokens" PRIMARY KEY ("user_id", "login_provider", "name"),
    CONSTRAINT "fk_user_tokens_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);


CREATE INDEX "ix_attachments_owner_type_owner_id" ON "attachments" ("owner_type", "owner_id");


CREATE INDEX "ix_attachments_uploaded_by_id" ON "attachments" ("uploaded_by_id");


CREATE INDEX "ix_audit_entries_at" ON "audit_entries" ("at");


CREATE INDEX "ix_audit_entries_entity_type_entity_id" ON "audit_entries" ("entity_type", "entity_id");


CREATE INDEX "ix_audit_entries_user_id" ON "audit_entries" ("user_id");


CREATE UNIQUE INDEX "ix_deadline_escalations_deadline_id_round_level" ON "deadline_escalations" ("deadline_id", "round", "level");


CREATE INDEX "ix_deadline_extensions_deadline_id" ON "deadline_extensions" ("deadline_id");


CREATE INDEX "ix_deadlines_assignee_user_id_completed_at" ON "deadlines" ("assignee_user_id", "completed_at");


CREATE INDEX "ix_deadlines_next_escalation_at" ON "deadlines" ("next_escalation_at");


CREATE INDEX "ix_deadlines_region_code" ON "deadlines" ("region_code");


CREATE INDEX "ix_deadlines_subject_type_subject_id" ON "deadlines" ("subject_type", "subject_id");


CREATE INDEX "ix_notifications_user_id_read_at_created_at" ON "notifications" ("user_id", "read_at", "created_at");


CREATE UNIQUE INDEX "ix_organisations_name" ON "organisations" ("name");


CREATE INDEX "ix_organisations_region_code" ON "organisations" ("region_code");


CREATE INDEX "ix_regions_parent_code" ON "regions" ("parent_code");


CREATE INDEX "ix_role_claims_role_id" ON "role_claims" ("role_id");


CREATE UNIQUE INDEX "role_name_index" ON "roles" ("normalized_name");


CREATE INDEX "ix_timeline_entries_subject_type_subject_id_at" ON "timeline_entries" ("subject_type", "subject_id", "at");


CREATE INDEX "ix_user_claims_user_id" ON "user_claims" ("user_id");


CREATE INDEX "ix_user_logins_user_id" ON "user_logins" ("user_id");


CREATE INDEX "ix_user_roles_role_id" ON "user_roles" ("role_id");


CREATE INDEX "email_index" ON "users" ("normalized_email");


CREATE INDEX "ix_users_organisation_id" ON "users" ("organisation_id");


CREATE UNIQUE INDEX "user_name_index" ON "users" ("normalized_user_name");



-- data
CREATE TABLE schema_versions (version integer NOT NULL PRIMARY KEY, applied_at varchar(40) NOT NULL, description varchar(200) NOT NULL);
INSERT INTO schema_versions (version, applied_at, description) VALUES (1, '2026-01-05T01:00:00.0000000+00:00', '新建数据库');
INSERT INTO regions (code, name, level, parent_code, full_name) VALUES ('100000', '全国', 0, NULL, '全国');
INSERT INTO regions (code, name, level, parent_code, full_name) VALUES ('530000', '云南省', 1, '100000', '云南省');
INSERT INTO regions (code, name, level, parent_code, full_name) VALUES ('530300', '曲靖市', 2, '530000', '云南省曲靖市');
INSERT INTO regions (code, name, level, parent_code, full_name) VALUES ('530302', '麒麟区', 3, '530300', '云南省曲靖市麒麟区');
INSERT INTO regions (code, name, level, parent_code, full_name) VALUES ('530302101', '越州镇', 4, '530302', '云南省曲靖市麒麟区越州镇');
INSERT INTO organisations (id, name, kind, region_code, enterprise_id) VALUES (1, '麒麟区应急管理局', 1, '530302', NULL);
INSERT INTO roles (id, name, normalized_name, concurrency_stamp) VALUES (1, '县级监管', '县级监管', 'legacy-role');
INSERT INTO users (id, display_name, organisation_id, is_demo, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed, password_hash, security_stamp, concurrency_stamp, phone_number, phone_number_confirmed, two_factor_enabled, lockout_end, lockout_enabled, access_failed_count) VALUES (1, '老用户', 1, 0, '2026-01-05 01:00:00', 'county.old', 'COUNTY.OLD', NULL, NULL, 0, 'AQAAAAIAAYagAAAAECvWKDYHEf0DsL09BxOrJ40dhZDqDeKIh3BjBECd+Kn/3/Hw3xQm5M5g+TP6PdQgIw==', 'LEGACYSTAMPLEGACYSTAMPLEGACYSTAMP', 'legacy-user', NULL, 0, 0, NULL, 1, 0);
INSERT INTO user_roles (user_id, role_id) VALUES (1, 1);
INSERT INTO audit_entries (id, at, user_id, user_name, action, entity_type, entity_name, entity_id, region_code, summary, before, after, prev_hash, hash) VALUES (1, '2026-01-05 01:00:00', NULL, '系统初始化', '新增', 'organisations', '单位', '1', '530302', '新增单位 麒麟区应急管理局', NULL, '{"Id":1,"Name":"麒麟区应急管理局"}', '0000000000000000000000000000000000000000000000000000000000000000', '263c089f22f9d00378f29b0c2f7cef9d3eef81d4346e71e46585dcc0f75977cf');
INSERT INTO audit_entries (id, at, user_id, user_name, action, entity_type, entity_name, entity_id, region_code, summary, before, after, prev_hash, hash) VALUES (2, '2026-01-05 01:05:00', 1, '老用户', '登录成功', '', '用户', '1', NULL, 'county.old 登录成功', NULL, NULL, '263c089f22f9d00378f29b0c2f7cef9d3eef81d4346e71e46585dcc0f75977cf', 'efda6fb2375776ca52108440ed96dbe4d84f9528134e03ecba3be932ea02d2f9');
INSERT INTO notifications (id, user_id, kind, title, body, link, deadline_id, created_at, read_at) VALUES (1, 1, 5, '旧版本留下的消息', '升级后必须还在', NULL, NULL, '2026-01-05 01:06:00', NULL);
INSERT INTO deadlines (id, subject_type, subject_id, title, link, region_code, enterprise_id, mine_id, assignee_user_id, organisation_id, start_at, due_at, warn_minutes, paused_at, paused_seconds, completed_at, round, escalated_level, next_escalation_at) VALUES (1, 'legacy', 1, '旧版本的期限', NULL, '530302101', NULL, NULL, 1, 1, '2026-01-05 01:00:00', '2026-01-20 16:00:00', 4320, NULL, 0, NULL, 0, 0, '2026-01-17 16:00:00');
