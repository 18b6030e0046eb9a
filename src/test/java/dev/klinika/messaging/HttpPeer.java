package dev.klinika.messaging;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback standing in for a provider (an SMS gateway, the Telegram
 * Bot API): it records each request and answers as the test says.
 */
final class HttpPeer implements AutoCloseable {

	/** A request as the peer saw it. */
	record Request(String method, String path, String body) {
	}

	/** The peer's answer: status, JSON body, and a delay before it. */
	record Answer(int status, String body, long delayMillis) {

		static Answer ok(String body) {
			return new Answer(200, body, 0);
		}

	}

	final List<Request> requests = new CopyOnWriteArrayList<>();

	private final HttpServer server;

	private volatile Function<Request, Answer> answers;

	HttpPeer(Function<Request, Answer> answers) throws IOException {
		this.answers = answers;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
			this.requests.add(request);
			Answer answer = this.answers.apply(request);
			try {
				Thread.sleep(answer.delayMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			try {
				exchange.sendResponseHeaders(answer.status(), bytes.length);
				exchange.getResponseBody().write(bytes);
			}
			catch (IOException ex) {
				// the client gave up (a timeout test)
			}
			exchange.close();
		});
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.start();
	}

	void answer(Function<Request, Answer> answers) {
		this.answers = answers;
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
