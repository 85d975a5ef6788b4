package dev.tongxing.server.login.spi;

import java.util.List;

/**
 * Contributes connectors; consulted on every use, so a connector's state can change live. A single
 * {@link Connector} bean is its own source; a package with one connector per configured upstream (OpenID
 * Connect) contributes them all through one source bean.
 */
public interface ConnectorSource {

	List<Connector> connectors();

}
