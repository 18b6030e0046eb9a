package dev.klinika.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Klinika on a random port and Debian's Chromium driven by Playwright. Without
 * Chromium these tests fail, never skip: CI installs it in {@code .ci/run}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class BrowserTest {

	static final Path CHROMIUM = Path.of(System.getProperty("klinika.chromium", "/usr/bin/chromium"));

	static final Path SCREENSHOTS = Path.of("target/screenshots");

	static Playwright playwright;

	static Browser browser;

	@LocalServerPort
	int port;

	BrowserContext context;

	Page page;

	@BeforeAll
	static void launchChromium() throws Exception {
		assertThat(CHROMIUM).as("Chromium for browser tests (apt-get install chromium)").isExecutable();
		Files.createDirectories(SCREENSHOTS);
		playwright = Playwright.create();
		browser = playwright.chromium()
			.launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
				.setHeadless(true)
				.setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
						"--disable-background-networking", "--disable-component-update", "--disable-sync")));
	}

	@AfterAll
	static void closeChromium() {
		if (browser != null) {
			browser.close();
		}
		if (playwright != null) {
			playwright.close();
		}
	}

	@BeforeEach
	void openPage() {
		this.context = browser
			.newContext(new Browser.NewContextOptions().setViewportSize(1920, 1080).setLocale("ru-RU"));
		this.page = this.context.newPage();
		this.page.setDefaultTimeout(15_000);
	}

	@AfterEach
	void closePage() {
		this.context.close();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	void logIn(String username) {
		this.page.navigate(url("/login"));
		this.page.getByLabel("Логин").fill(username);
		this.page.getByLabel("Пароль").fill("klinika");
		this.page
			.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Войти"))
			.click();
		this.page.waitForURL(url("/"));
	}

	void screenshot(String name) {
		this.page
			.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
	}

}
