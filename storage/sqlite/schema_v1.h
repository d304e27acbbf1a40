// Migration step 1: the first schema.
//
// Labels live twice on purpose: as a JSON column that list and find read in the same row, and as
// rows in a child table that label filters search through an index. Both are written by the same
// function in the same transaction (sandbox_rows.cpp, container_rows.cpp).
#pragma once

namespace silo::storage::sqlite {

inline constexpr const char* kSchemaStep1 = R"sql(
CREATE TABLE schema_migrations (
  version     INTEGER PRIMARY KEY NOT NULL,
  description TEXT NOT NULL,
  applied_at  INTEGER NOT NULL
);

CREATE TABLE layers (
  id         TEXT PRIMARY KEY NOT NULL,
  parent     TEXT REFERENCES layers(id) ON DELETE RESTRICT,
  size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
  created_at INTEGER NOT NULL
);
CREATE INDEX layers_by_parent ON layers(parent);

CREATE TABLE sandboxes (
  id             TEXT PRIMARY KEY NOT NULL,
  name           TEXT NOT NULL UNIQUE,
  isolation      TEXT NOT NULL CHECK (isolation IN ('process', 'hyperv', 'hostprocess')),
  state          TEXT NOT NULL CHECK (state IN ('ready', 'stopped', 'removing')),
  labels         TEXT NOT NULL,
  annotations    TEXT NOT NULL,
  spec           TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  backend_handle TEXT NOT NULL
);
CREATE INDEX sandboxes_by_isolation ON sandboxes(isolation);

CREATE TABLE sandbox_labels (
  sandbox_id TEXT NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (sandbox_id, key)
) WITHOUT ROWID;
CREATE INDEX sandbox_labels_by_key_value ON sandbox_labels(key, value);

CREATE TABLE containers (
  id             TEXT PRIMARY KEY NOT NULL,
  name           TEXT NOT NULL UNIQUE,
  sandbox_id     TEXT NOT NULL REFERENCES sandboxes(id) ON DELETE RESTRICT,
  isolation      TEXT NOT NULL CHECK (isolation IN ('process', 'hyperv', 'hostprocess')),
  state          TEXT NOT NULL CHECK (state IN ('created', 'running', 'exited', 'removing')),
  state_reason   TEXT NOT NULL,
  top_layer      TEXT REFERENCES layers(id) ON DELETE RESTRICT,
  labels         TEXT NOT NULL,
  spec           TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  started_at     INTEGER,
  finished_at    INTEGER,
  exit_code      INTEGER,
  backend_handle TEXT NOT NULL
);
CREATE INDEX containers_by_sandbox ON containers(sandbox_id);
CREATE INDEX containers_by_state ON containers(state);
CREATE INDEX containers_by_isolation ON containers(isolation);
CREATE INDEX containers_by_top_layer ON containers(top_layer);

CREATE TABLE container_labels (
  container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  value        TEXT NOT NULL,
  PRIMARY KEY (container_id, key)
) WITHOUT ROWID;
CREATE INDEX container_labels_by_key_value ON container_labels(key, value);

-- AUTOINCREMENT: ids only grow and are never reused, even after the newest rows are deleted, so
-- a client resuming a stream from an id never sees an old id reused for a new event.
CREATE TABLE events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  time       INTEGER NOT NULL,
  type       TEXT NOT NULL,
  action     TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  attributes TEXT NOT NULL
);
CREATE INDEX events_by_time ON events(time);
CREATE INDEX events_by_actor ON events(actor_id);

PRAGMA user_version = 1;
)sql";

}  // namespace silo::storage::sqlite
