package dev.tongxing.server.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Operator credentials for the admin API and console.
 *
 * @param username operator name; when unset, the admin API refuses everyone
 * @param password a Spring Security password-storage string, e.g. {@code {bcrypt}$2a$10$...} or, for
 * development only, {@code {noop}admin}
 */
@ConfigurationProperties("tongxing.admin")
public record AdminProperties(String username, String password) {

}
