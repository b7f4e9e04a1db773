package org.o365audit.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

/**
 * Keeps the records of a batch that a sink wants, by a predicate in one of Camel's languages evaluated on
 * each record: in simple the body is the {@link SinkRecord} ({@code ${body.app} == 'Exchange'},
 * {@code ${body.record[Operation]} contains 'Role'}); in jsonpath the body is the record's JSON
 * ({@code $[?(@.Workload == 'Exchange')]}). "true" or an empty filter keeps everything.
 */
@Component("sinkFilter")
public class SinkFilter {
    private final Map<String, Predicate> compiled = new ConcurrentHashMap<>();

    public SinkBatch apply(Exchange ex) {
        SinkBatch batch = ex.getProperty(SinkExchange.CLAIMED, SinkBatch.class);
        String filter = ex.getProperty(SinkExchange.FILTER, String.class);
        String language = ex.getProperty(SinkExchange.FILTER_LANGUAGE, "simple", String.class);
        if (filter == null || filter.isBlank() || filter.trim().equals("true") || batch.isEmpty()) {
            ex.setProperty(SinkExchange.KEPT, batch);
            return batch;
        }
        Predicate p = predicate(ex.getContext(), language, filter);
        List<SinkRecord> kept = new ArrayList<>();
        for (SinkRecord r : batch.records()) {
            Exchange probe = new DefaultExchange(ex.getContext());
            probe.getIn().setBody(language.equals("simple") ? r : r.getRaw());
            if (p.matches(probe)) {
                kept.add(r);
            }
        }
        SinkBatch result = batch.with(kept);
        ex.setProperty(SinkExchange.KEPT, result);
        return result;
    }

    /** Compiles the filter once; a filter that does not parse fails here, at the first batch, naming itself. */
    Predicate predicate(CamelContext camel, String language, String filter) {
        return compiled.computeIfAbsent(language + "\u0000" + filter, k -> {
            try {
                Predicate p = camel.resolveLanguage(language).createPredicate(filter);
                p.init(camel);
                return p;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("sink filter (" + language + ") '" + filter + "' is invalid: "
                        + e.getMessage(), e);
            }
        });
    }
}
