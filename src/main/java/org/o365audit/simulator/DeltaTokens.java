package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state behind the directory's skip and delta tokens, kept on the server as Graph does (the tokens are opaque):
 * a round in progress is the list of entries it answers, fixed at its first call, so changes made meanwhile go to
 * the next round; a delta token is where the next round starts and which properties it selects. Expiring forgets
 * every token issued so far.
 */
final class DeltaTokens {
    /** A round of one resource: its entries, the last change it includes and the query options of its first call. */
    record Round(String resource, List<ObjectNode> entries, long upTo, String select) {
    }

    /** Where a deltaLink continues: changes after {@code since}, with the same $select. */
    record Since(String resource, long since, String select) {
    }

    private final Map<String, Round> rounds = new ConcurrentHashMap<>();
    private final Map<String, Since> deltas = new ConcurrentHashMap<>();
    /** Query options of tokens that expired, for the Location of a fresh start. */
    private final Map<String, String> expired = new ConcurrentHashMap<>();

    String startRound(Round r) {
        String id = UUID.randomUUID().toString().replace("-", "");
        rounds.put(id, r);
        return id;
    }

    Optional<Round> round(String id) {
        return Optional.ofNullable(rounds.get(id));
    }

    String issueDelta(Since s) {
        String token = UUID.randomUUID().toString().replace("-", "") + Long.toHexString(s.since());
        deltas.put(token, s);
        return token;
    }

    Optional<Since> delta(String token) {
        return Optional.ofNullable(deltas.get(token));
    }

    /** The $select of an expired token, or null (unknown token, or none was given). */
    String expiredSelect(String token) {
        return expired.get(token);
    }

    synchronized void expireAll() {
        rounds.forEach((id, r) -> expired.put(id, r.select() == null ? "" : r.select()));
        deltas.forEach((t, s) -> expired.put(t, s.select() == null ? "" : s.select()));
        rounds.clear();
        deltas.clear();
    }
}
