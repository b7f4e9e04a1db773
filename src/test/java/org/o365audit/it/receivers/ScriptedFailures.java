package org.o365audit.it.receivers;

import java.util.ArrayDeque;
import java.util.Deque;

/** HTTP statuses queued by a test to answer the next requests with, oldest first. */
final class ScriptedFailures {

    private final Deque<Integer> statuses = new ArrayDeque<>();
    private int used;

    synchronized void add(int status, int times) {
        if (status < 100 || status > 599 || times < 0) {
            throw new IllegalArgumentException("status " + status + " x " + times);
        }
        for (int i = 0; i < times; i++) {
            statuses.addLast(status);
        }
    }

    /** The status to answer this request with, or 0 to answer it normally. */
    synchronized int next() {
        Integer status = statuses.pollFirst();
        if (status == null) {
            return 0;
        }
        used++;
        return status;
    }

    synchronized int used() {
        return used;
    }

    synchronized int pending() {
        return statuses.size();
    }
}
