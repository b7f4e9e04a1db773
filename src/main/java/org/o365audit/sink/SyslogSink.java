package org.o365audit.sink;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.o365audit.sink.format.CefFormat;
import org.o365audit.sink.format.LeefFormat;
import org.o365audit.sink.format.SyslogFrame;
import org.o365audit.sink.format.SyslogOptions;
import org.springframework.stereotype.Component;

/**
 * The syslog sink's step before camel-netty: one octet-counted RFC 5424 frame per record, in json, cef or leef,
 * the whole batch as one buffer (netty without a codec writes buffers as they are).
 */
@Component("syslogSink")
public class SyslogSink {
    private final CefFormat cef = new CefFormat();
    private final LeefFormat leef = new LeefFormat();
    private final SyslogFrame syslog = new SyslogFrame();
    private final String localHost = localHostName();

    public ByteBuf frames(Exchange ex) {
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        String format = ex.getProperty("O365SyslogFormat", "json", String.class).trim().toLowerCase();
        String hostname = ex.getProperty("O365SyslogHostname", "", String.class);
        SyslogOptions o = new SyslogOptions(ex.getProperty("O365SyslogFacility", SyslogOptions.LOG_AUDIT, Integer.class),
                hostname.isBlank() ? localHost : hostname,
                ex.getProperty("O365SyslogAppName", SyslogOptions.DEFAULT_APP_NAME, String.class),
                SyslogOptions.DEFAULT_MSG_ID, SyslogOptions.DEFAULT_SD_ID,
                // CEF and LEEF parsers expect the message to start with CEF: / LEEF:, so the BOM goes with json only
                format.equals("json"));
        List<byte[]> frames = new ArrayList<>(kept.size());
        for (SinkRecord r : kept.records()) {
            String msg = switch (format) {
                case "json" -> r.getRaw().replace("\r", "").replace("\n", "");
                case "cef" -> cef.format(r);
                case "leef" -> leef.format(r);
                default -> throw new IllegalArgumentException("syslog sink " + kept.sink() + ": format '" + format
                        + "' is not json, cef or leef");
            };
            frames.add(syslog.frame(r, msg, o));
        }
        ex.getMessage().getHeaders().clear();
        return Unpooled.wrappedBuffer(SyslogFrame.frames(frames));
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "-";
        }
    }
}
