/** Numbered migrations; each runs once, in order, inside one transaction with its version bump. */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE interactions (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        started_at_ms INTEGER NOT NULL,
        source TEXT NOT NULL,
        area TEXT,
        input_text TEXT NOT NULL,
        intent TEXT,
        slots_json TEXT,
        outcome TEXT NOT NULL,
        speech TEXT NOT NULL,
        error_code TEXT,
        used_context_json TEXT NOT NULL,
        commands_json TEXT NOT NULL,
        stages_json TEXT NOT NULL,
        total_ms REAL NOT NULL,
        feedback_json TEXT
      );
      CREATE INDEX interactions_started ON interactions(started_at_ms);
      CREATE INDEX interactions_session ON interactions(session_id);
      CREATE TABLE sensitive_devices (
        device_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        adopted INTEGER NOT NULL,
        first_seen_ms INTEGER NOT NULL
      );
      CREATE TABLE hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE pin_failures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at_ms INTEGER NOT NULL
      );
    `,
  },
  {
    // What households taught: "study mode" for lights = full brightness and cool white. One row per
    // concept and kind of device; kept with synchronous=FULL like everything users taught.
    version: 2,
    sql: `
      CREATE TABLE concepts (
        name TEXT NOT NULL,
        domain TEXT NOT NULL,
        operation_json TEXT NOT NULL,
        description TEXT NOT NULL,
        taught_at_ms INTEGER NOT NULL,
        taught_in_turn TEXT,
        PRIMARY KEY (name, domain)
      );
    `,
  },
  {
    // The rewrite cache: taught (by the household), personal (mined on this hub), global (synced).
    // One row per layer and normalised source text; support and probability feed the ranker.
    version: 3,
    sql: `
      CREATE TABLE rewrites (
        id TEXT PRIMARY KEY,
        layer TEXT NOT NULL CHECK (layer IN ('taught', 'personal', 'global')),
        source_text TEXT NOT NULL,
        target_text TEXT NOT NULL,
        support INTEGER NOT NULL DEFAULT 1,
        probability REAL NOT NULL DEFAULT 1,
        created_at_ms INTEGER NOT NULL,
        applied_count INTEGER NOT NULL DEFAULT 0,
        UNIQUE (layer, source_text)
      );
    `,
  },
  {
    // Feedback that arrives after a turn, from outside the conversation: a device switched back by hand.
    version: 4,
    sql: `
      CREATE TABLE feedback_events (
        turn_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at_ms INTEGER NOT NULL
      );
      CREATE INDEX feedback_events_turn ON feedback_events(turn_id);
    `,
  },
  {
    // Global rewrite bundles from the sync service: the active one and the one before it (to roll back to).
    version: 5,
    sql: `
      CREATE TABLE sync_bundles (
        version INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        manifest TEXT NOT NULL,
        signature TEXT NOT NULL,
        body BLOB NOT NULL,
        applied_at_ms INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 0,
        rolled_back INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    // Wrong PINs are counted per origin (a satellite, a site, an MQTT client's siteId): one client cannot lock out the home.
    version: 6,
    sql: `ALTER TABLE pin_failures ADD COLUMN origin TEXT NOT NULL DEFAULT '';`,
  },
  {
    // Timers per site (running: ends_at_ms; paused: remaining_ms) and the household's lists, kept across restarts.
    version: 7,
    sql: `
      CREATE TABLE timers (
        id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL,
        name TEXT,
        duration_ms INTEGER NOT NULL,
        ends_at_ms INTEGER,
        remaining_ms INTEGER,
        created_at_ms INTEGER NOT NULL
      );
      CREATE INDEX timers_site ON timers(site_id);
      CREATE TABLE list_items (
        id INTEGER PRIMARY KEY,
        list TEXT NOT NULL,
        item TEXT NOT NULL,
        done_at_ms INTEGER,
        added_at_ms INTEGER NOT NULL
      );
      CREATE INDEX list_items_list ON list_items(list);
    `,
  },
  {
    // Audio of spoken turns that worked, kept on the hub only when the household opts in (learning.keepVoiceTurns).
    version: 8,
    sql: `
      CREATE TABLE voice_turns (
        turn_id TEXT PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        text TEXT NOT NULL,
        engine TEXT NOT NULL,
        confidence REAL NOT NULL,
        asked INTEGER NOT NULL DEFAULT 0,
        file TEXT NOT NULL
      );
      CREATE INDEX voice_turns_at ON voice_turns(at_ms);
    `,
  },
];
