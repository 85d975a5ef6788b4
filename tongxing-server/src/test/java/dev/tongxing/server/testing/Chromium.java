package dev.tongxing.server.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver (nothing is downloaded). In CI a missing
 * browser fails the test; on a developer machine without it the test is skipped with a message.
 */
public final class Chromium implements AutoCloseable {

	static final String BINARY = "/usr/bin/chromium";

	static final String DRIVER = "/usr/bin/chromedriver";

	private final WebDriver driver;

	private final Path profile;

	private Chromium(WebDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	public static Chromium start(String acceptLanguage) {
		if (!new File(BINARY).canExecute() || !new File(DRIVER).canExecute()) {
			if (System.getenv("CI") != null) {
				throw new IllegalStateException("CI is set but " + BINARY + " or " + DRIVER
						+ " is missing: apt-get install -y chromium chromium-driver (bin/test does this)");
			}
			Assumptions.abort("Chromium is not installed (apt-get install -y chromium chromium-driver)");
		}
		try {
			Path profile = Files.createTempDirectory("tongxing-chromium");
			System.setProperty("webdriver.chrome.driver", DRIVER);
			ChromeOptions options = new ChromeOptions();
			options.setBinary(BINARY);
			options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--lang=" + acceptLanguage, "--user-data-dir=" + profile);
			options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", acceptLanguage));
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
				.build();
			return new Chromium(new ChromeDriver(service, options), profile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public WebDriver driver() {
		return this.driver;
	}

	public Chromium open(String url) {
		this.driver.get(url);
		return this;
	}

	public WebElement waitFor(String css) {
		return new WebDriverWait(this.driver, Duration.ofSeconds(15))
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
	}

	public void click(String css) {
		new WebDriverWait(this.driver, Duration.ofSeconds(15))
			.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)))
			.click();
	}

	public String waitForText(String css, String expected) {
		new WebDriverWait(this.driver, Duration.ofSeconds(15))
			.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), expected));
		return this.driver.findElement(By.cssSelector(css)).getText();
	}

	public String url() {
		return this.driver.getCurrentUrl();
	}

	@Override
	public void close() {
		this.driver.quit();
		try (var walk = Files.walk(this.profile)) {
			walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException ignored) {
		}
	}

}
