// The device and in-app browser a User-Agent names (payments/device.h), table-driven on real
// User-Agent shapes of each platform and app.
#include <catch2/catch.hpp>

#include "payments/device.h"

using namespace landed;

namespace {

struct Case {
  const char* what;
  const char* user_agent;
  const char* device;   // "" = unknown
  const char* channel;  // "" = a plain browser
};

const Case cases[] = {
    {"Safari on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "ios", ""},
    {"Chrome on Android", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "android", ""},
    {"Chrome on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "desktop", ""},
    {"Safari on a Mac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "desktop", ""},
    {"Firefox on Linux", "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", "desktop", ""},
    {"WeChat on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003130) NetType/WIFI Language/zh_CN", "ios", "wechat"},
    {"WeChat on Android", "Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30)", "android", "wechat"},
    {"Instagram on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98 (iPhone15,3; iOS 17_5; en_US; en; scale=3.00; 1290x2796; 606079393)", "ios", "instagram"},
    {"Facebook on Android", "Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/467.0.0.45.108;]", "android", "facebook"},
    {"TikTok on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_35.1.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US", "ios", "tiktok"},
    {"Douyin on Android", "Mozilla/5.0 (Linux; Android 12; PEHM00) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/99.0 Mobile Safari/537.36 aweme_290100 JsSdk/1.0 NetType/WIFI Channel/huawei_1128_64 AppName/aweme app_version/29.1.0", "android", "douyin"},
    {"LINE on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.9.0", "ios", "line"},
    {"KakaoTalk on Android", "Mozilla/5.0 (Linux; Android 14; SM-S911N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36;KAKAOTALK 2410330", "android", "kakaotalk"},
    {"empty", "", "", ""},
    {"a bot", "curl/8.5.0", "", ""},
};

}  // namespace

TEST_CASE("The device and app each User-Agent names") {
  for (const Case& c : cases) {
    INFO(c.what);
    const auto device = device_from_user_agent(c.user_agent);
    CHECK(std::string(device.value_or("")) == c.device);
    const auto channel = channel_from_user_agent(c.user_agent);
    CHECK(std::string(channel.value_or("")) == c.channel);
  }
}
