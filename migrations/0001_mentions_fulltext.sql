-- Full-text search over mention text (SQLite FTS5, external content: the text is stored once, in mentions).
CREATE VIRTUAL TABLE `mentions_fts` USING fts5(`text`, `author_handle`, content='mentions', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `mentions_fts_insert` AFTER INSERT ON `mentions` BEGIN
  INSERT INTO `mentions_fts`(rowid, `text`, `author_handle`) VALUES (new.id, new.text, new.author_handle);
END;
--> statement-breakpoint
CREATE TRIGGER `mentions_fts_delete` AFTER DELETE ON `mentions` BEGIN
  INSERT INTO `mentions_fts`(`mentions_fts`, rowid, `text`, `author_handle`) VALUES ('delete', old.id, old.text, old.author_handle);
END;
--> statement-breakpoint
CREATE TRIGGER `mentions_fts_update` AFTER UPDATE OF `text`, `author_handle` ON `mentions` BEGIN
  INSERT INTO `mentions_fts`(`mentions_fts`, rowid, `text`, `author_handle`) VALUES ('delete', old.id, old.text, old.author_handle);
  INSERT INTO `mentions_fts`(rowid, `text`, `author_handle`) VALUES (new.id, new.text, new.author_handle);
END;
