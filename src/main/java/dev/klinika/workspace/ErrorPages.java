package dev.klinika.workspace;

import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.ModelAndView;

/**
 * One error page in the layout for every status, without stack traces or exception names.
 */
@Configuration(proxyBeanMethods = false)
class ErrorPages {

	/**
	 * {@code /error} asked for directly is no failure: it is a page that is not there
	 * (404), not a 500 with status 999.
	 */
	@Bean
	org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> directErrorRequests() {
		jakarta.servlet.Filter filter = (request, response, chain) -> {
			var http = (jakarta.servlet.http.HttpServletRequest) request;
			if (http.getRequestURI().equals(http.getContextPath() + "/error")
					&& request.getAttribute("jakarta.servlet.error.status_code") == null) {
				((jakarta.servlet.http.HttpServletResponse) response).sendError(404);
				return;
			}
			chain.doFilter(request, response);
		};
		var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/error");
		registration.setDispatcherTypes(jakarta.servlet.DispatcherType.REQUEST);
		return registration;
	}

	/**
	 * A form post over the server's limit (2 MB): Tomcat refuses to parse it, and the
	 * first filter that reads a parameter (the CSRF check) would fail with an exception
	 * logged as an error, twice, for every such request from anyone. Answered here, first
	 * of all filters, as the plain 413 it is, with one warning line.
	 */
	@Bean
	org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> oversizedForms() {
		jakarta.servlet.Filter filter = (request, response, chain) -> {
			try {
				chain.doFilter(request, response);
			}
			catch (jakarta.servlet.ServletException | RuntimeException ex) {
				if (!tooLarge(ex)) {
					throw ex;
				}
				var http = (jakarta.servlet.http.HttpServletRequest) request;
				org.slf4j.LoggerFactory.getLogger(ErrorPages.class)
					.warn("Refused an oversized form post to {} ({} bytes) from {}", http.getRequestURI(),
							http.getContentLengthLong(), http.getRemoteAddr());
				var answer = (jakarta.servlet.http.HttpServletResponse) response;
				if (!answer.isCommitted()) {
					answer.reset();
					answer.setStatus(413);
					answer.setContentType("text/plain;charset=UTF-8");
					answer.getWriter().write("413 Content Too Large");
				}
			}
		};
		var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
		registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
		registration.setDispatcherTypes(jakarta.servlet.DispatcherType.REQUEST);
		return registration;
	}

	private static boolean tooLarge(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getClass().getName().equals("org.apache.tomcat.util.http.InvalidParameterException")
					|| cause instanceof IllegalStateException
							&& String.valueOf(cause.getMessage()).contains("maxPostSize")) {
				return true;
			}
		}
		return false;
	}

	@Bean
	ErrorViewResolver errorPage() {
		return (request, status, model) -> new ModelAndView("error/page", model, status);
	}

}
