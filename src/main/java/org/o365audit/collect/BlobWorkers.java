package org.o365audit.collect;

import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.o365audit.config.O365Properties;
import org.springframework.stereotype.Component;

/**
 * The thread pool profile the poller's blob split names ({@value #PROFILE}): Camel makes one pool from it for every
 * poller route, so each tenant and content type collects up to o365.parallel-blobs blobs at once, plus one thread
 * that walks the listing. The queue needs no bound: the listing hands out a blob only for a free slot
 * ({@link InFlightBlobs}). Idle threads end after a minute, so a thousand quiet pollers hold no threads.
 */
@Component
public class BlobWorkers implements CamelContextConfiguration {
    public static final String PROFILE = "blob-workers";

    private final O365Properties props;

    public BlobWorkers(O365Properties props) {
        this.props = props;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        int threads = props.getParallelBlobs() + 1;
        camel.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder(PROFILE)
                .poolSize(threads).maxPoolSize(threads).keepAliveTime(60L, TimeUnit.SECONDS).maxQueueSize(-1)
                .allowCoreThreadTimeOut(true).build());
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // nothing to do once started
    }
}
