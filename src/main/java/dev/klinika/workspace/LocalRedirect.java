package dev.klinika.workspace;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * Turns a Referer into a path on this site, so that a redirect can never leave Klinika.
 */
final class LocalRedirect {

	private LocalRedirect() {
	}

	static String pathOf(@Nullable String referer) {
		if (referer == null || referer.isBlank()) {
			return "/";
		}
		try {
			URI uri = URI.create(referer);
			String path = uri.getRawPath();
			if (path == null || !path.startsWith("/") || path.startsWith("//")) {
				return "/";
			}
			return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
		}
		catch (IllegalArgumentException ex) {
			return "/";
		}
	}

}
