package dev.tongxing.server.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Bearer tokens for {@code /admin/api/**}: the gateway's own {@code client_credentials} access tokens (a
 * machine, never a person's token) with {@code tongxing.admin.read} (reads) or {@code tongxing.admin.write}
 * (reads and changes). Any other token authenticates to nothing here.
 */
final class AdminApiTokens implements Converter<Jwt, AbstractAuthenticationToken> {

	static final String READ_SCOPE = "tongxing.admin.read";

	static final String WRITE_SCOPE = "tongxing.admin.write";

	static final String READ = "ADMIN_API_READ";

	static final String WRITE = "ADMIN_API_WRITE";

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		if ("client_credentials".equals(jwt.getClaimAsString("gty"))) {
			Collection<String> scopes = scopes(jwt);
			if (scopes.contains(READ_SCOPE) || scopes.contains(WRITE_SCOPE)) {
				authorities.add(new SimpleGrantedAuthority(READ));
			}
			if (scopes.contains(WRITE_SCOPE)) {
				authorities.add(new SimpleGrantedAuthority(WRITE));
			}
		}
		// named by its client, as a Basic operator is named by its user name
		return new JwtAuthenticationToken(jwt, authorities, "client:" + (jwt.getClaimAsString("client_id") != null ? jwt.getClaimAsString("client_id") : jwt.getSubject()));
	}

	private static Collection<String> scopes(Jwt jwt) {
		Object scope = jwt.getClaims().get("scope");
		if (scope instanceof Collection<?> list) {
			return list.stream().map(String::valueOf).toList();
		}
		if (scope instanceof String text) {
			return List.of(text.split(" "));
		}
		return List.of();
	}

}
