package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signers against the worked examples their providers publish. */
class SignatureVectorsTest {

	/** Tencent Cloud "Signature v3" document: CVM DescribeInstances, POST, 2019-02-25. */
	@Test
	void tencentTc3MatchesThePublishedExample() {
		String payload = "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";
		assertThat(Tc3Signer.sha256Hex(payload))
			.isEqualTo("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
		String canonical = Tc3Signer.canonicalRequest("application/json; charset=utf-8", "cvm.tencentcloudapi.com",
				payload);
		assertThat(canonical).isEqualTo("""
				POST
				/

				content-type:application/json; charset=utf-8
				host:cvm.tencentcloudapi.com

				content-type;host
				35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064""");
		String stringToSign = Tc3Signer.stringToSign(1551113065, "2019-02-25/cvm/tc3_request", canonical);
		assertThat(stringToSign).isEqualTo("""
				TC3-HMAC-SHA256
				1551113065
				2019-02-25/cvm/tc3_request
				5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031""");
		assertThat(Tc3Signer.authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
				"cvm", "cvm.tencentcloudapi.com", "application/json; charset=utf-8", payload, 1551113065))
			.isEqualTo("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
					+ "SignedHeaders=content-type;host, "
					+ "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
	}

	/** Aliyun SMS signature document: SendSms by GET, 2017-07-12, with a Chinese sign name. */
	@Test
	void aliyunRpcMatchesThePublishedSmsExample() {
		Map<String, String> p = new LinkedHashMap<>();
		p.put("AccessKeyId", "testId");
		p.put("Action", "SendSms");
		p.put("Format", "XML");
		p.put("OutId", "123");
		p.put("PhoneNumbers", "15300000001");
		p.put("RegionId", "cn-hangzhou");
		p.put("SignName", "阿里云短信测试专用");
		p.put("SignatureMethod", "HMAC-SHA1");
		p.put("SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466");
		p.put("SignatureVersion", "1.0");
		p.put("TemplateCode", "SMS_71390007");
		p.put("TemplateParam", "{\"customer\":\"test\"}");
		p.put("Timestamp", "2017-07-12T02:42:19Z");
		p.put("Version", "2017-05-25");
		String canonical = AliyunRpcSigner.canonicalQuery(p);
		assertThat(AliyunRpcSigner.stringToSign("GET", canonical)).isEqualTo("GET&%2F&AccessKeyId%3DtestId"
				+ "%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou"
				+ "%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B"
				+ "%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1"
				+ "%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0"
				+ "%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D"
				+ "%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25");
		assertThat(AliyunRpcSigner.signedQuery("GET", p, "testSecret"))
			.endsWith("&Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D");
	}

	/** Aliyun RPC signature document: ECS DescribeRegions. */
	@Test
	void aliyunRpcMatchesThePublishedGeneralExample() {
		Map<String, String> p = Map.of("Format", "XML", "AccessKeyId", "testid", "Action", "DescribeRegions",
				"SignatureMethod", "HMAC-SHA1", "SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
				"SignatureVersion", "1.0", "Version", "2014-05-26", "Timestamp", "2016-02-23T12:46:24Z");
		assertThat(AliyunRpcSigner.signature("testsecret",
				AliyunRpcSigner.stringToSign("GET", AliyunRpcSigner.canonicalQuery(p))))
			.isEqualTo("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
	}

	@Test
	void aliyunPercentEncodingFollowsRfc3986() {
		assertThat(AliyunRpcSigner.percentEncode("a b*c~d/e+f")).isEqualTo("a%20b%2Ac~d%2Fe%2Bf");
	}

}
