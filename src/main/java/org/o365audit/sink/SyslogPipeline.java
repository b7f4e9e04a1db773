package org.o365audit.sink;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.apache.camel.component.netty.ClientInitializerFactory;
import org.apache.camel.component.netty.NettyConfiguration;
import org.apache.camel.component.netty.NettyProducer;
import org.apache.camel.component.netty.handlers.ClientChannelHandler;
import org.springframework.boot.ssl.SslBundle;

/**
 * The netty pipeline of a syslog sink's connections (a local bean of the syslog-sink template, given to camel-netty
 * as clientInitializerFactory). It does what camel-netty's own does, except that the TLS engine is created for the
 * receiver's host and port: camel-netty 4.17 creates it without the peer's name, so a host name check could never
 * pass and SNI is never sent. Trust comes from the sink's ssl-bundle, else from its sslContextParameters bean, else
 * from the JVM's trust store.
 */
public class SyslogPipeline extends ClientInitializerFactory {
    private final SinkTls tls;
    private String sink = "";
    private String sslBundle = "";

    public SyslogPipeline(SinkTls tls) {
        this.tls = tls;
    }

    public void setSink(String sink) {
        this.sink = sink;
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle == null ? "" : sslBundle.trim();
    }

    @Override
    public ClientInitializerFactory createPipelineFactory(NettyProducer producer) {
        NettyConfiguration c = producer.getConfiguration();
        if (!c.isSsl()) {
            return new Connections(producer, null, null);
        }
        SslBundle b = tls.bundle(sink, sslBundle);
        if (b != null && c.getSslContextParameters() != null) {
            throw new IllegalStateException("o365.sinks." + sink + ": set ssl-bundle or ssl-context-parameters, not both");
        }
        SSLContext ctx;
        try {
            ctx = b != null ? b.createSslContext() : c.getSslContextParameters() != null
                    ? c.getSslContextParameters().createSSLContext(producer.getContext()) : tls.sslContext(sink, null);
        } catch (Exception e) {
            throw new IllegalStateException("sink " + sink + ": cannot set up TLS: " + e.getMessage(), e);
        }
        return new Connections(producer, ctx, b);
    }

    @Override
    protected void initChannel(Channel ch) {
        throw new IllegalStateException("used through createPipelineFactory only");
    }

    /** The pipeline of one producer's connections. */
    private static final class Connections extends ClientInitializerFactory {
        private final NettyProducer producer;
        private final SSLContext context;
        private final SslBundle bundle;

        Connections(NettyProducer producer, SSLContext context, SslBundle bundle) {
            this.producer = producer;
            this.context = context;
            this.bundle = bundle;
        }

        @Override
        public ClientInitializerFactory createPipelineFactory(NettyProducer other) {
            throw new IllegalStateException("bound to one producer");
        }

        @Override
        protected void initChannel(Channel ch) {
            NettyConfiguration c = producer.getConfiguration();
            ChannelPipeline p = ch.pipeline();
            if (context != null) {
                p.addLast("ssl", new SslHandler(SinkTls.clientEngine(context, bundle, c.getHost(), c.getPort(),
                        c.isHostnameVerification())));
            }
            int i = 0;
            for (ChannelHandler h : c.getDecodersAsList()) {
                p.addLast("decoder-" + i++, h instanceof ChannelHandlerFactory f ? f.newChannelHandler() : h);
            }
            i = 0;
            for (ChannelHandler h : c.getEncodersAsList()) {
                p.addLast("encoder-" + i++, h instanceof ChannelHandlerFactory f ? f.newChannelHandler() : h);
            }
            if (c.getRequestTimeout() > 0) {
                p.addLast("timeout", new ReadTimeoutHandler(c.getRequestTimeout(), TimeUnit.MILLISECONDS));
            }
            p.addLast("handler", new ClientChannelHandler(producer));
        }
    }
}
