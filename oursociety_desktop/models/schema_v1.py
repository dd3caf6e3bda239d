"""The schema of version 1, frozen as it was first released (never regenerated from today's table classes).

Migration 1 runs these statements; every later change is a migration of its own, so a hub created today and a hub
created by the first release and upgraded since end with the same schema.
"""

from __future__ import annotations

V1_TABLES: tuple[str, ...] = (
    (
        'CREATE TABLE contact (\n\t'
        'id VARCHAR NOT NULL, \n\t'
        'origin_hub VARCHAR NOT NULL, \n\t'
        'base_stamp VARCHAR NOT NULL, \n\t'
        'stamps JSON NOT NULL, \n\t'
        'stamp VARCHAR NOT NULL, \n\t'
        'deleted BOOLEAN NOT NULL, \n\t'
        'given_name VARCHAR NOT NULL, \n\t'
        'family_name VARCHAR NOT NULL, \n\t'
        'display_name VARCHAR NOT NULL, \n\t'
        'organisation VARCHAR NOT NULL, \n\t'
        'role VARCHAR NOT NULL, \n\t'
        'phones JSON NOT NULL, \n\t'
        'emails JSON NOT NULL, \n\t'
        'street VARCHAR NOT NULL, \n\t'
        'locality VARCHAR NOT NULL, \n\t'
        'region VARCHAR NOT NULL, \n\t'
        'postcode VARCHAR NOT NULL, \n\t'
        'country VARCHAR NOT NULL, \n\t'
        'languages JSON NOT NULL, \n\t'
        'tags JSON NOT NULL, \n\t'
        'notes VARCHAR NOT NULL, \n\t'
        'private_notes VARCHAR NOT NULL, \n\t'
        'share_with_hubs BOOLEAN NOT NULL, \n\t'
        'include_in_directory BOOLEAN NOT NULL, \n\t'
        'do_not_phone BOOLEAN NOT NULL, \n\t'
        'do_not_email BOOLEAN NOT NULL, \n\t'
        'do_not_mail BOOLEAN NOT NULL, \n\t'
        'do_not_sms BOOLEAN NOT NULL, \n\t'
        'consent_recorded_at VARCHAR NOT NULL, \n\t'
        'consent_method VARCHAR NOT NULL, \n\t'
        'engagement_stage VARCHAR NOT NULL, \n\t'
        'erased BOOLEAN NOT NULL, \n\t'
        'erased_reason VARCHAR NOT NULL, \n\t'
        'merged_into VARCHAR NOT NULL, \n\t'
        'sort_key VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (id)\n)'
    ),
    'CREATE INDEX ix_contact_stamp ON contact (stamp)',
    'CREATE INDEX ix_contact_live_sort ON contact (deleted, sort_key)',
    (
        'CREATE TABLE contact_group (\n\t'
        'id VARCHAR NOT NULL, \n\t'
        'origin_hub VARCHAR NOT NULL, \n\t'
        'base_stamp VARCHAR NOT NULL, \n\t'
        'stamps JSON NOT NULL, \n\t'
        'stamp VARCHAR NOT NULL, \n\t'
        'deleted BOOLEAN NOT NULL, \n\t'
        'name VARCHAR NOT NULL, \n\t'
        'description VARCHAR NOT NULL, \n\t'
        'kind VARCHAR NOT NULL, \n\t'
        'parent_id VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (id)\n)'
    ),
    'CREATE INDEX ix_contact_group_parent_id ON contact_group (parent_id)',
    'CREATE INDEX ix_contact_group_stamp ON contact_group (stamp)',
    (
        'CREATE TABLE membership (\n\t'
        'id VARCHAR NOT NULL, \n\t'
        'origin_hub VARCHAR NOT NULL, \n\t'
        'base_stamp VARCHAR NOT NULL, \n\t'
        'stamps JSON NOT NULL, \n\t'
        'stamp VARCHAR NOT NULL, \n\t'
        'deleted BOOLEAN NOT NULL, \n\t'
        'group_id VARCHAR NOT NULL, \n\t'
        'contact_id VARCHAR NOT NULL, \n\t'
        'role VARCHAR NOT NULL, \n\t'
        'since VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (id)\n)'
    ),
    'CREATE INDEX ix_membership_stamp ON membership (stamp)',
    'CREATE INDEX ix_membership_group_id ON membership (group_id)',
    'CREATE INDEX ix_membership_contact_id ON membership (contact_id)',
    (
        'CREATE TABLE action (\n\t'
        'id VARCHAR NOT NULL, \n\t'
        'origin_hub VARCHAR NOT NULL, \n\t'
        'base_stamp VARCHAR NOT NULL, \n\t'
        'stamps JSON NOT NULL, \n\t'
        'stamp VARCHAR NOT NULL, \n\t'
        'deleted BOOLEAN NOT NULL, \n\t'
        'title VARCHAR NOT NULL, \n\t'
        'kind VARCHAR NOT NULL, \n\t'
        'status VARCHAR NOT NULL, \n\t'
        'due VARCHAR NOT NULL, \n\t'
        'starts_at VARCHAR NOT NULL, \n\t'
        'ends_at VARCHAR NOT NULL, \n\t'
        'location VARCHAR NOT NULL, \n\t'
        'group_id VARCHAR NOT NULL, \n\t'
        'notes VARCHAR NOT NULL, \n\t'
        'outcome VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (id)\n)'
    ),
    'CREATE INDEX ix_action_group_id ON action (group_id)',
    'CREATE INDEX ix_action_live_due ON action (deleted, status, due)',
    'CREATE INDEX ix_action_stamp ON action (stamp)',
    (
        'CREATE TABLE action_link (\n\t'
        'id VARCHAR NOT NULL, \n\t'
        'origin_hub VARCHAR NOT NULL, \n\t'
        'base_stamp VARCHAR NOT NULL, \n\t'
        'stamps JSON NOT NULL, \n\t'
        'stamp VARCHAR NOT NULL, \n\t'
        'deleted BOOLEAN NOT NULL, \n\t'
        'action_id VARCHAR NOT NULL, \n\t'
        'contact_id VARCHAR NOT NULL, \n\t'
        'role VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (id)\n)'
    ),
    'CREATE INDEX ix_action_link_stamp ON action_link (stamp)',
    'CREATE INDEX ix_action_link_action_id ON action_link (action_id)',
    'CREATE INDEX ix_action_link_contact_id ON action_link (contact_id)',
    (
        'CREATE TABLE connection (\n\t'
        'id VARCHAR NOT NULL, \n\t'
        'origin_hub VARCHAR NOT NULL, \n\t'
        'base_stamp VARCHAR NOT NULL, \n\t'
        'stamps JSON NOT NULL, \n\t'
        'stamp VARCHAR NOT NULL, \n\t'
        'deleted BOOLEAN NOT NULL, \n\t'
        'contact_a VARCHAR NOT NULL, \n\t'
        'contact_b VARCHAR NOT NULL, \n\t'
        'kind VARCHAR NOT NULL, \n\t'
        'introduced_by VARCHAR NOT NULL, \n\t'
        'date VARCHAR NOT NULL, \n\t'
        'note VARCHAR NOT NULL, \n\t'
        'follow_up_action_id VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (id)\n)'
    ),
    'CREATE INDEX ix_connection_stamp ON connection (stamp)',
    'CREATE INDEX ix_connection_contact_a ON connection (contact_a)',
    'CREATE INDEX ix_connection_contact_b ON connection (contact_b)',
    'CREATE INDEX ix_connection_introduced_by ON connection (introduced_by)',
    (
        'CREATE TABLE hub (\n\t'
        'id VARCHAR NOT NULL, \n\t'
        'name VARCHAR NOT NULL, \n\t'
        'created_at VARCHAR NOT NULL, \n\t'
        'clock VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (id)\n)'
    ),
    (
        'CREATE TABLE peer_hub (\n\t'
        'id VARCHAR NOT NULL, \n\t'
        'name VARCHAR NOT NULL, \n\t'
        'first_seen_at VARCHAR NOT NULL, \n\t'
        'last_import_at VARCHAR NOT NULL, \n\t'
        'sent_watermark VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (id)\n)'
    ),
    (
        'CREATE TABLE setting (\n\t'
        '"key" VARCHAR NOT NULL, \n\t'
        'value JSON NOT NULL, \n\t'
        'PRIMARY KEY ("key")\n)'
    ),
    (
        'CREATE TABLE schema_version (\n\t'
        'version INTEGER NOT NULL, \n\t'
        'applied_at VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (version)\n)'
    ),
    (
        'CREATE TABLE exchange_log (\n\t'
        'id INTEGER NOT NULL, \n\t'
        'at VARCHAR NOT NULL, \n\t'
        'direction VARCHAR NOT NULL, \n\t'
        'peer_hub VARCHAR NOT NULL, \n\t'
        'file_name VARCHAR NOT NULL, \n\t'
        'summary JSON NOT NULL, \n\t'
        'PRIMARY KEY (id)\n)'
    ),
    (
        'CREATE TABLE "conflict" (\n\t'
        'id INTEGER NOT NULL, \n\t'
        'record_type VARCHAR NOT NULL, \n\t'
        'record_id VARCHAR NOT NULL, \n\t'
        'field VARCHAR NOT NULL, \n\t'
        'ours_value JSON NOT NULL, \n\t'
        'ours_stamp VARCHAR NOT NULL, \n\t'
        'theirs_value JSON NOT NULL, \n\t'
        'theirs_stamp VARCHAR NOT NULL, \n\t'
        'detected_at VARCHAR NOT NULL, \n\t'
        'resolved BOOLEAN NOT NULL, \n\t'
        'PRIMARY KEY (id)\n)'
    ),
    'CREATE INDEX ix_conflict_record_id ON "conflict" (record_id)',
    'CREATE INDEX ix_conflict_resolved ON "conflict" (resolved)',
    (
        'CREATE TABLE not_duplicate (\n\t'
        'contact_a VARCHAR NOT NULL, \n\t'
        'contact_b VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (contact_a, contact_b)\n)'
    ),
    (
        'CREATE TABLE contact_search (\n\t'
        'rowid INTEGER NOT NULL, \n\t'
        'contact_id VARCHAR NOT NULL, \n\t'
        'body VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (rowid), \n\t'
        'UNIQUE (contact_id)\n)'
    ),
    (
        'CREATE TABLE contact_phone (\n\t'
        'contact_id VARCHAR NOT NULL, \n\t'
        'e164 VARCHAR NOT NULL, \n\t'
        'PRIMARY KEY (contact_id, e164)\n)'
    ),
    'CREATE INDEX ix_contact_phone_e164 ON contact_phone (e164)',
)
