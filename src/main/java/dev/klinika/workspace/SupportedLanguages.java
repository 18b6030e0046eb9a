package dev.klinika.workspace;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/** Lets {@code ?lang=} choose only the languages Klinika has texts for. */
class SupportedLanguages implements HandlerInterceptor {

	static final Set<String> LANGUAGES = Set.of("ru", "en");

	private final LocaleChangeInterceptor delegate;

	SupportedLanguages(LocaleChangeInterceptor delegate) {
		this.delegate = delegate;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws jakarta.servlet.ServletException {
		String lang = request.getParameter("lang");
		if (lang != null && LANGUAGES.contains(lang)) {
			return this.delegate.preHandle(request, response, handler);
		}
		return true;
	}

}
