package org.o365audit.graph;

/**
 * One file read from Graph in a run: the activity that named it (null for a periodic re-read of a known file),
 * the row it had ({@code known}, null when never seen), and what Graph shows now ({@code state}, null when Graph no
 * longer finds the file: deleted). {@code urlKey} is the URL it was looked up by.
 */
public record FileRead(FileActivity cause, String urlKey, StoredFile known, FileState state) {
}
