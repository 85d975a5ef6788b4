package dev.tongxing.server.oidc;

import dev.tongxing.server.crypto.JoseDataCipher;
import dev.tongxing.server.crypto.SealedColumns;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Spring Authorization Server's JDBC store with the personal data in {@code oauth2_authorization} sealed: the
 * attributes (the authenticated principal, with the person's address) and every token's metadata (the ID
 * token's claims: {@code phone_number}, {@code name}, {@code picture}) are sealed values; the ID token itself,
 * whose payload carries the same claims, is kept inside its sealed metadata and its column holds only a keyed
 * hash, so {@code id_token_hint} lookups (RP-initiated logout) still work. Token values that are looked up
 * (codes, access and refresh tokens, state) carry no personal data and stay as they are. Rows written in clear
 * before this existed are still read.
 */
final class SealedJdbcAuthorizationService extends JdbcOAuth2AuthorizationService {

	/** The sealed columns, as {@code pii rekey} must know them. */
	static final SealedColumns COLUMNS = SealedColumns.of("oauth2_authorization", "id", "attributes",
			"authorization_code_metadata", "access_token_metadata", "oidc_id_token_metadata", "refresh_token_metadata",
			"user_code_metadata", "device_code_metadata");

	/** SAS's parameter list, in its INSERT column order. */
	private static final List<String> COLUMN_ORDER = List.of("id", "registered_client_id", "principal_name",
			"authorization_grant_type", "authorized_scopes", "attributes", "state", "authorization_code_value",
			"authorization_code_issued_at", "authorization_code_expires_at", "authorization_code_metadata",
			"access_token_value", "access_token_issued_at", "access_token_expires_at", "access_token_metadata",
			"access_token_type", "access_token_scopes", "oidc_id_token_value", "oidc_id_token_issued_at",
			"oidc_id_token_expires_at", "oidc_id_token_metadata", "refresh_token_value", "refresh_token_issued_at",
			"refresh_token_expires_at", "refresh_token_metadata", "user_code_value", "user_code_issued_at",
			"user_code_expires_at", "user_code_metadata", "device_code_value", "device_code_issued_at",
			"device_code_expires_at", "device_code_metadata");

	/** Positions in SAS's parameter list (its INSERT column order). */
	private static final int PARAMETERS = 33;

	private static final Set<Integer> SEALED_PARAMETERS = Set.of(5, 10, 14, 20, 24, 28, 32);

	private static final int ID_TOKEN_VALUE = 17;

	private static final int ID_TOKEN_METADATA = 20;

	private static final Set<String> SEALED_COLUMNS = Set.copyOf(COLUMNS.columns());

	private static final String ID_TOKEN_VALUE_COLUMN = "oidc_id_token_value";

	private static final String ID_TOKEN_METADATA_COLUMN = "oidc_id_token_metadata";

	/** Marks a sealed ID-token metadata value that also carries the ID token. */
	private static final String WITH_ID_TOKEN = "id_token:";

	private static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);

	private final JoseDataCipher cipher;

	SealedJdbcAuthorizationService(JdbcOperations jdbc, RegisteredClientRepository clients, JoseDataCipher cipher) {
		super(jdbc, clients);
		this.cipher = cipher;
		var rows = new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationRowMapper(clients);
		var parameters = new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper();
		setAuthorizationRowMapper((rs, rowNum) -> rows.mapRow(opening(rs), rowNum));
		setAuthorizationParametersMapper(authorization -> seal(parameters.apply(authorization)));
	}

	private static final String INSERT = "INSERT INTO oauth2_authorization (" + String.join(", ", COLUMN_ORDER)
			+ ") VALUES (" + String.join(", ", java.util.Collections.nCopies(COLUMN_ORDER.size(), "?")) + ")";

	private static final String UPDATE = "UPDATE oauth2_authorization SET "
			+ String.join(" = ?, ", COLUMN_ORDER.subList(1, COLUMN_ORDER.size())) + " = ? WHERE id = ?";

	/**
	 * Updates first and inserts only when no row was there: one statement per save. Spring Authorization
	 * Server's own save reads the whole row (and here: opens its sealed columns) only to choose between the two.
	 */
	@Override
	public void save(OAuth2Authorization authorization) {
		List<SqlParameterValue> parameters = getAuthorizationParametersMapper().apply(authorization);
		List<SqlParameterValue> update = new ArrayList<>(parameters.subList(1, parameters.size()));
		update.add(parameters.get(0));
		JdbcOperations jdbc = getJdbcOperations();
		if (jdbc.update(UPDATE, new ArgumentPreparedStatementSetter(update.toArray())) == 0) {
			jdbc.update(INSERT, new ArgumentPreparedStatementSetter(parameters.toArray()));
		}
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		if (tokenType == null) {
			OAuth2Authorization found = super.findByToken(token, null);
			return found != null ? found : super.findByToken(idTokenHash(token), ID_TOKEN);
		}
		if (ID_TOKEN.equals(tokenType)) {
			OAuth2Authorization found = super.findByToken(idTokenHash(token), ID_TOKEN);
			return found != null ? found : super.findByToken(token, ID_TOKEN); // a row from before sealing
		}
		return super.findByToken(token, tokenType);
	}

	private String idTokenHash(String idToken) {
		return this.cipher.lookupHash("oidc-id-token", idToken);
	}

	private List<SqlParameterValue> seal(List<SqlParameterValue> parameters) {
		if (parameters.size() != PARAMETERS) {
			throw new IllegalStateException("Spring Authorization Server's oauth2_authorization parameters changed ("
					+ parameters.size() + " instead of " + PARAMETERS + "): review SealedJdbcAuthorizationService");
		}
		List<SqlParameterValue> sealed = new ArrayList<>(parameters);
		String idToken = text(parameters.get(ID_TOKEN_VALUE));
		for (int i : SEALED_PARAMETERS) {
			String value = text(parameters.get(i));
			if (value == null) {
				continue;
			}
			if (i == ID_TOKEN_METADATA && idToken != null) {
				value = WITH_ID_TOKEN + idToken + "\n" + value;
			}
			sealed.set(i, new SqlParameterValue(parameters.get(i), this.cipher.seal(value)));
		}
		if (idToken != null) {
			sealed.set(ID_TOKEN_VALUE, new SqlParameterValue(parameters.get(ID_TOKEN_VALUE), idTokenHash(idToken)));
		}
		return sealed;
	}

	private static String text(SqlParameterValue parameter) {
		Object value = parameter.getValue();
		if (value instanceof byte[] bytes) {
			return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
		}
		return (String) value;
	}

	/** The row as SAS expects it: sealed columns opened, the ID token taken out of its sealed metadata. */
	private ResultSet opening(ResultSet rs) {
		// the ID token and its metadata come out of one sealed value: open it once per row, not per column
		Map<String, Map.Entry<String, String>> opened = new java.util.HashMap<>(2);
		return (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(), new Class<?>[] { ResultSet.class },
				(proxy, method, args) -> {
					if (method.getName().equals("getString") && args.length == 1 && args[0] instanceof String column) {
						return read(rs, column.toLowerCase(java.util.Locale.ROOT), opened);
					}
					try {
						return method.invoke(rs, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	private String read(ResultSet rs, String column, Map<String, Map.Entry<String, String>> opened)
			throws java.sql.SQLException {
		if (column.equals(ID_TOKEN_VALUE_COLUMN) || column.equals(ID_TOKEN_METADATA_COLUMN)) {
			String sealedMetadata = rs.getString(ID_TOKEN_METADATA_COLUMN);
			Map.Entry<String, String> idToken = sealedMetadata == null ? idTokenAndMetadata(null)
					: opened.computeIfAbsent(sealedMetadata, this::idTokenAndMetadata);
			if (column.equals(ID_TOKEN_METADATA_COLUMN)) {
				return idToken.getValue();
			}
			return idToken.getKey() != null ? idToken.getKey() : rs.getString(column);
		}
		String value = rs.getString(column);
		return SEALED_COLUMNS.contains(column) && JoseDataCipher.isSealed(value) ? this.cipher.open(value) : value;
	}

	/** @return the ID token (null when not inside) and the metadata */
	private Map.Entry<String, String> idTokenAndMetadata(String stored) {
		if (stored == null || !JoseDataCipher.isSealed(stored)) {
			return new java.util.AbstractMap.SimpleEntry<>(null, stored);
		}
		String opened = this.cipher.open(stored);
		if (!opened.startsWith(WITH_ID_TOKEN)) {
			return new java.util.AbstractMap.SimpleEntry<>(null, opened);
		}
		int newline = opened.indexOf('\n');
		return new java.util.AbstractMap.SimpleEntry<>(opened.substring(WITH_ID_TOKEN.length(), newline),
				opened.substring(newline + 1));
	}

}
