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

	@Bean
	ErrorViewResolver errorPage() {
		return (request, status, model) -> new ModelAndView("error/page", model, status);
	}

}
