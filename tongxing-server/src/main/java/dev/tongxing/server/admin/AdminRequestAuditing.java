package dev.tongxing.server.admin;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every operator request that changes something is in the audit log — who, which method and path — whether
 * or not the endpoint records a more specific entry of its own (with the outcome), so a new admin endpoint
 * cannot be forgotten. Recorded before the action runs, so even an action that crashes half-way leaves its trace.
 */
@Configuration(proxyBeanMethods = false)
class AdminRequestAuditing implements WebMvcConfigurer, HandlerInterceptor {

	private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

	private final AuditLog audit;

	AdminRequestAuditing(AuditLog audit) {
		this.audit = audit;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).addPathPatterns("/admin/**");
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (CHANGES.contains(request.getMethod())) {
			Principal operator = request.getUserPrincipal();
			this.audit.record(AuditEntry.of(AuditTypes.ADMIN_REQUEST)
				.actor("admin:" + (operator == null ? "unknown" : operator.getName()))
				.detail("method", request.getMethod())
				.detail("path", request.getRequestURI()));
		}
		return true;
	}

}
