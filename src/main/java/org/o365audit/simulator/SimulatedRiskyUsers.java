package org.o365audit.simulator;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entra ID Protection's risky users of a simulated tenant (identityProtection/riskyUsers): a user is listed once
 * a risk was detected for it (riskLevel, riskState atRisk) or an admin confirmed it compromised (riskLevel high,
 * riskState confirmedCompromised). A tenant without Entra ID P2 answers 403 (see {@link SimulatedGraph#premium}).
 */
public final class SimulatedRiskyUsers {
    /** riskState and riskLevel of one user, as Graph's riskyUser shows them. */
    record Risk(String state, String level) {
    }

    private final Map<String, Risk> risks = new ConcurrentHashMap<>();

    /** A risk was detected for the user (riskState atRisk). */
    public void atRisk(String userId, String level) {
        risks.put(userId, new Risk("atRisk", level));
    }

    /** The user's riskState, or null when Identity Protection has never listed the user. */
    public String state(String userId) {
        Risk r = risks.get(userId);
        return r == null ? null : r.state();
    }

    Optional<Risk> of(String userId) {
        return Optional.ofNullable(risks.get(userId));
    }

    void confirmCompromised(String userId) {
        risks.put(userId, new Risk("confirmedCompromised", "high"));
    }
}
