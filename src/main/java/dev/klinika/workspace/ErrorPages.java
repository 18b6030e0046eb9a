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

	@Bean
	ErrorViewResolver errorPage() {
		return (request, status, model) -> new ModelAndView("error/page", model, status);
	}

}
