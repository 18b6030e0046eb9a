package dev.klinika.scheduling;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * Token buckets per client address for the public booking page and API: so many requests
 * a minute, and far fewer booking attempts an hour. Over the limit the answer is 429 with
 * {@code Retry-After}. The buckets live in each node's memory: with N nodes behind a
 * balancer a client gets at most N times the limit, which still stops a flood.
 */
@Configuration(proxyBeanMethods = false)
class PublicRateLimit implements HandlerInterceptor, WebMvcConfigurer {

	/**
	 * Beyond this many addresses the buckets start afresh rather than grow without end.
	 */
	static final int MAX_ADDRESSES = 100_000;

	private final Map<String, Bucket> requests = new ConcurrentHashMap<>();

	private final Map<String, Bucket> bookings = new ConcurrentHashMap<>();

	private final int perMinute;

	private final int bookingsPerHour;

	private final MessageSource messages;

	PublicRateLimit(@Value("${klinika.booking.requests-per-minute:120}") int perMinute,
			@Value("${klinika.booking.bookings-per-hour:30}") int bookingsPerHour, MessageSource messages) {
		this.perMinute = perMinute;
		this.bookingsPerHour = bookingsPerHour;
		this.messages = messages;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).addPathPatterns("/api/public/**", "/book/**");
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		String address = request.getRemoteAddr();
		ConsumptionProbe probe = bucket(this.requests, address, this.perMinute, Duration.ofMinutes(1))
			.tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed() && isBooking(request)) {
			probe = bucket(this.bookings, address, this.bookingsPerHour, Duration.ofHours(1))
				.tryConsumeAndReturnRemaining(1);
		}
		if (probe.isConsumed()) {
			return true;
		}
		long wait = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds());
		Locale locale = RequestContextUtils.getLocale(request);
		String text = this.messages.getMessage("online.error.tooMany", new Object[] { wait }, locale);
		response.setStatus(429);
		response.setHeader("Retry-After", String.valueOf(wait));
		response.setCharacterEncoding("UTF-8");
		if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
			response.setContentType("application/problem+json");
			response.getWriter()
				.write("{\"status\":429,\"title\":\"Too Many Requests\",\"reason\":\"RATE_LIMIT\",\"detail\":\""
						+ text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
		}
		else {
			response.setContentType("text/plain");
			response.getWriter().write(text);
		}
		return false;
	}

	/** A request that books (or holds) a time: the scarce thing a bot would grab. */
	private static boolean isBooking(HttpServletRequest request) {
		return "POST".equals(request.getMethod());
	}

	private static Bucket bucket(Map<String, Bucket> buckets, String address, int capacity, Duration period) {
		if (buckets.size() > MAX_ADDRESSES) {
			buckets.clear();
		}
		return buckets.computeIfAbsent(address,
				key -> Bucket.builder()
					.addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build())
					.build());
	}

}
