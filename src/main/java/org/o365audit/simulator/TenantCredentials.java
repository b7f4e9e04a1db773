package org.o365audit.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The app registrations of one simulated tenant and the access tokens issued to them. */
final class TenantCredentials {

    enum TokenStatus { UNKNOWN, VALID, EXPIRED, REVOKED }

    private record IssuedToken(String clientId, Instant issuedAt, long generation) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Issued tokens are remembered this long (far past any lifetime), so a simulator running for days stays small. */
    static final Duration REMEMBERED = Duration.ofDays(7);

    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
    private final Map<String, List<X509Certificate>> certificates = new ConcurrentHashMap<>();
    private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    private volatile Duration advertisedLifetime = Duration.ofSeconds(3599);
    private volatile Duration serverSideLifetime; // null: follow the advertised lifetime
    private long generation;
    private int issued;

    void registerSecret(String clientId, String clientSecret) {
        secrets.put(clientId, clientSecret.getBytes(StandardCharsets.UTF_8));
    }

    void registerCertificate(String clientId, X509Certificate cert) {
        certificates.computeIfAbsent(clientId, id -> new CopyOnWriteArrayList<>()).add(cert);
    }

    boolean isRegistered(String clientId) {
        return secrets.containsKey(clientId) || certificates.containsKey(clientId);
    }

    boolean secretMatches(String clientId, String presented) {
        byte[] expected = secrets.get(clientId);
        return expected != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    List<X509Certificate> certificates(String clientId) {
        return certificates.getOrDefault(clientId, List.of());
    }

    void advertisedLifetime(Duration d) {
        advertisedLifetime = d;
    }

    Duration advertisedLifetime() {
        return advertisedLifetime;
    }

    void serverSideLifetime(Duration d) {
        serverSideLifetime = d;
    }

    private Duration effectiveServerSideLifetime() {
        Duration d = serverSideLifetime;
        return d != null ? d : advertisedLifetime;
    }

    /** Issues a fresh opaque access token. */
    synchronized String issue(String clientId, Instant now) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        tokens.values().removeIf(t -> t.issuedAt().isBefore(now.minus(REMEMBERED)));
        tokens.put(token, new IssuedToken(clientId, now, generation));
        issued++;
        return token;
    }

    synchronized void revokeAll() {
        generation++;
    }

    synchronized int issuedCount() {
        return issued;
    }

    boolean owns(String token) {
        return tokens.containsKey(token);
    }

    synchronized TokenStatus check(String token, Instant now) {
        IssuedToken t = tokens.get(token);
        if (t == null) {
            return TokenStatus.UNKNOWN;
        }
        if (t.generation() < generation) {
            return TokenStatus.REVOKED;
        }
        if (!now.isBefore(t.issuedAt().plus(effectiveServerSideLifetime()))) {
            return TokenStatus.EXPIRED;
        }
        return TokenStatus.VALID;
    }
}
