package dev.klinika.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Form login for people, HTTP Basic for a metrics scraper on {@code /actuator/**};
 * sessions in PostgreSQL, CSRF, secure headers, and the permission matrix of
 * {@link AccessRules} on both.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/** Scripts and styles come only from Klinika itself; nothing may frame its pages. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
			+ "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	AccountAuthentication accountAuthentication(AccountDetails accounts, PasswordEncoder encoder,
			LoginThrottle throttle, AuditLog audit) {
		return new AccountAuthentication(accounts, encoder, throttle, audit);
	}

	/**
	 * The public booking API for clinic websites: no login, no session, no CSRF (nothing
	 * rides on a cookie), CORS for the origins in
	 * {@code klinika.booking.allowed-origins}.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain publicApiChain(HttpSecurity http,
			@org.springframework.beans.factory.annotation.Value("${klinika.booking.allowed-origins:}") List<String> origins)
			throws Exception {
		org.springframework.web.cors.CorsConfiguration cors = new org.springframework.web.cors.CorsConfiguration();
		cors.setAllowedOrigins(origins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList());
		cors.setAllowedMethods(List.of("GET", "POST"));
		cors.setAllowedHeaders(List.of("Content-Type", "Accept", "Accept-Language", "Idempotency-Key"));
		cors.setExposedHeaders(List.of("Retry-After", "Location"));
		cors.setMaxAge(3600L);
		org.springframework.web.cors.UrlBasedCorsConfigurationSource source = new org.springframework.web.cors.UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/api/public/**", cors);
		return http
			.securityMatcher("/api/public/**", "/api/hooks/**", "/v3/api-docs/**", "/v3/api-docs", "/v3/api-docs.yaml")
			.authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
			.csrf(csrf -> csrf.disable())
			.cors(c -> c.configurationSource(source))
			.sessionManagement(session -> session
				.sessionCreationPolicy(org.springframework.security.config.http.SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.securityContext(context -> context.disable())
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
			.build();
	}

	/**
	 * Actuator endpoints: health for anyone, the rest for an OWNER by HTTP Basic or
	 * session.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain actuatorChain(HttpSecurity http, AccessRules accessRules, AccountAuthentication authentication)
			throws Exception {
		return common(http.securityMatcher("/actuator/**"), accessRules, authentication)
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain webChain(HttpSecurity http, AccessRules accessRules, AccountAuthentication authentication)
			throws Exception {
		return common(http, accessRules, authentication)
			.formLogin(form -> form.loginPage("/login")
				.defaultSuccessUrl("/", false)
				.failureHandler(new LoginFailure())
				.permitAll())
			.logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
			.build();
	}

	/**
	 * One authentication manager without a parent: every attempt reaches the throttle
	 * exactly once (a parent manager would check a wrong password twice and count it
	 * twice).
	 */
	private static HttpSecurity common(HttpSecurity http, AccessRules accessRules, AccountAuthentication authentication)
			throws Exception {
		return http.authenticationManager(new ProviderManager(authentication))
			.authorizeHttpRequests(authorize -> applyRules(authorize, accessRules))
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
	}

	private static void applyRules(
			AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry authorize,
			AccessRules accessRules) {
		for (AccessRules.Rule rule : accessRules.rules()) {
			var matched = rule.method() == null ? authorize.requestMatchers(rule.pattern())
					: authorize.requestMatchers(rule.method(), rule.pattern());
			if (rule.anonymous()) {
				matched.permitAll();
			}
			else {
				matched.hasAnyRole(rule.roleNames());
			}
		}
		authorize.anyRequest().authenticated();
	}

	/**
	 * Sends the login page a reason it can explain: wrong password, a wait, or a disabled
	 * login.
	 */
	static final class LoginFailure implements AuthenticationFailureHandler {

		@Override
		public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
				AuthenticationException exception) throws IOException {
			String target;
			if (exception instanceof LoginThrottledException throttled) {
				target = "/login?error=locked&wait=" + Math.max(1, throttled.getWait().toSeconds());
			}
			else if (exception instanceof DisabledException) {
				target = "/login?error=disabled";
			}
			else {
				target = "/login?error=credentials";
			}
			response.sendRedirect(request.getContextPath() + target);
		}

	}

}
