package org.o365audit.it.faults;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A blob's body (the JSON array the API serves) built from elements, with what the collector must make of
 * it: the Ids it must store and how many quarantine rows it must write, both counted from the elements
 * themselves so a scenario never hard-codes them.
 */
public final class BlobBody {
    private final List<Element> elements;

    private BlobBody(List<Element> elements) {
        this.elements = List.copyOf(elements);
    }

    public static BlobBody of(List<Element> elements) {
        return new BlobBody(elements);
    }

    /**
     * Good and hostile elements interleaved at random (seeded), each list keeping its own order, so hostile
     * elements sit between good ones, at the start and at the end, wherever the seed puts them.
     */
    public static BlobBody mix(List<Element> good, List<Element> hostile, long seed) {
        Random random = new Random(seed);
        List<Element> out = new ArrayList<>(good.size() + hostile.size());
        int g = 0;
        int h = 0;
        while (g < good.size() || h < hostile.size()) {
            int goodLeft = good.size() - g;
            int hostileLeft = hostile.size() - h;
            boolean takeGood = random.nextInt(goodLeft + hostileLeft) < goodLeft;
            out.add(takeGood ? good.get(g++) : hostile.get(h++));
        }
        return new BlobBody(out);
    }

    public List<Element> elements() {
        return elements;
    }

    /** {@code [e1,e2,…]} with every element's bytes as they are. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(elements.get(i).bytes());
        }
        out.write(']');
        return out.toByteArray();
    }

    /** The Ids that must be in audit_event once each after the blob is collected (a repeated Id counts once). */
    public Set<String> expectedStoredIds() {
        Set<String> ids = new LinkedHashSet<>();
        elements.stream().filter(e -> e.expectation() == Expectation.STORED).forEach(e -> ids.add(e.storedId()));
        return ids;
    }

    /** The quarantine rows the blob must leave: one per quarantined element. */
    public int expectedQuarantined() {
        return (int) elements.stream().filter(e -> e.expectation() == Expectation.QUARANTINED).count();
    }
}
