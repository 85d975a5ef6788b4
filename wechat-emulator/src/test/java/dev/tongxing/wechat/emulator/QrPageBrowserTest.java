package dev.tongxing.wechat.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless Chromium clicks through the website QR page: pick a user, scan, confirm on the "phone", land on
 * redirect_uri with code and state. Fails in CI (CI set) when Chromium is missing; skips locally with a message.
 */
class QrPageBrowserTest extends EmulatorTestBase {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static WebDriver driver;
    static Path profile;

    @BeforeAll
    static void startBrowser() throws Exception {
        boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (!present) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("CI is set but " + CHROMIUM + " / " + CHROMEDRIVER
                        + " are missing: apt-get install -y chromium chromium-driver");
            }
            Assumptions.abort("Chromium not installed (apt-get install -y chromium chromium-driver); browser test skipped outside CI");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory("wechat-emulator-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (driver != null) driver.quit();
        if (profile != null) {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String qrUrl(String state) {
        // the callback is the emulator's own (404) page on the same host: we only read the URL the browser lands on
        String callback = emu.baseUrl().replace("127.0.0.1", "localhost") + "/app/callback";
        return emu.baseUrl() + "/connect/qrconnect?" + Http.query(new java.util.LinkedHashMap<>(Map.of(
                "appid", WEBSITE_APPID, "redirect_uri", callback, "response_type", "code", "scope", "snsapi_login", "state", state)))
                + "#wechat_redirect";
    }

    @Test
    void scanAndConfirmRedirectsWithCodeAndState() {
        driver.get(qrUrl("browserState1"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=qr-code]")));
        assertThat(driver.findElement(By.cssSelector("[data-testid=missing-wechat-redirect]")).isDisplayed()).isFalse();
        // the QR image really renders
        Object width = ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("return document.querySelector('[data-testid=qr-code]').naturalWidth");
        assertThat(((Number) width).intValue()).isPositive();

        driver.findElement(By.cssSelector("[data-testid=user-option][data-user=bob]")).click();
        driver.findElement(By.cssSelector("[data-action=scan]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=phone]")));
        assertThat(driver.findElement(By.cssSelector("[data-testid=phone-user]")).getAttribute("data-user")).isEqualTo(BOB);
        driver.findElement(By.cssSelector("[data-action=confirm]")).click();
        wait.until(d -> d.getCurrentUrl().contains("/app/callback"));

        String landed = driver.getCurrentUrl();
        Map<String, String> q = Http.queryOf(landed);
        assertThat(q.get("state")).isEqualTo("browserState1");
        Map<String, Object> token = exchange(WEBSITE_APPID, WEBSITE_SECRET, q.get("code")).json();
        assertThat(token.get("openid")).isEqualTo(control().openid(WEBSITE_APPID, BOB));
    }

    @Test
    void cancelShowsTheNoticeAndAllowsAnotherScan() {
        driver.get(qrUrl("s2"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-action=scan]"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-action=cancel]"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=cancelled-notice]")));
        assertThat(driver.getCurrentUrl()).doesNotContain("/app/callback");
        driver.findElement(By.cssSelector("[data-testid=user-option][data-user=alice]")).click();
        driver.findElement(By.cssSelector("[data-action=scan]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-action=confirm]"))).click();
        wait.until(d -> d.getCurrentUrl().contains("/app/callback"));
        assertThat(Http.queryOf(driver.getCurrentUrl())).containsEntry("state", "s2").containsKey("code");
    }

    @Test
    void doubleCallbackHitsTheCallbackTwiceWithTheSameCode() {
        control().settings().doubleCallback = "same-code";
        driver.get(qrUrl("twice"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-action=scan]"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-action=confirm]"))).click();
        wait.until(d -> d.getCurrentUrl().contains("/app/callback"));
        try {
            wait.until(d -> control().requests("/app/callback").size() >= 2);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("callback requests: " + control().requests(r -> !r.path().startsWith("/connect/qrcode")), e);
        }
        var hits = control().requests("/app/callback");
        assertThat(hits.get(0).param("code")).isEqualTo(hits.get(1).param("code")).isNotBlank();
        assertThat(hits).allSatisfy(h -> assertThat(h.param("state")).isEqualTo("twice"));
    }

    @Test
    void missingWechatRedirectFragmentIsFlagged() {
        String url = qrUrl("s3");
        driver.get(url.substring(0, url.indexOf('#')));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=missing-wechat-redirect]")));
    }
}
