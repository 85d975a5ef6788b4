package dev.tongxing.server.transfer;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.transfer.*}: moving people in from another system.
 *
 * @param oldIdAsSub clients that knew people by the old system's user id: an imported person whose record
 * names no sub for such a client gets the record's {@code id} as its sub there
 * @param workers records imported at once (each in its own transaction; 1 imports strictly in file order)
 */
@ConfigurationProperties("tongxing.transfer")
public record TransferProperties(@DefaultValue List<String> oldIdAsSub, @DefaultValue("4") int workers) {
}
