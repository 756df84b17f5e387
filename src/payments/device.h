// What a checkout's User-Agent says about the buyer's device and the app it runs in. Pure string
// tests on the tokens each platform and in-app browser puts in its User-Agent; no lookup table
// of devices. Unknown stays unknown: a method restricted to devices is then not offered.
#pragma once

#include <optional>
#include <string_view>

namespace landed {

// "ios" (iPhone, iPad, iPod), "android", "desktop" (Windows, macOS, Linux, ChromeOS), or none.
// iPadOS 13+ asks for desktop sites with a Macintosh User-Agent: it is then "desktop".
std::optional<std::string_view> device_from_user_agent(std::string_view user_agent);

// A desktop User-Agent of Apple's (Macintosh: a Mac, or an iPad asking for desktop sites, which
// iPadOS Safari does by default): Apple Pay works there, so rules may name the "macos" device.
bool is_apple_desktop(std::string_view user_agent);

// The in-app browser a User-Agent names (WeChat "MicroMessenger", Instagram, Facebook
// "FBAN"/"FBAV"/"FB_IAB", TikTok "musical_ly"/"trill_"/"TikTok", Douyin "aweme", LINE "Line/", KakaoTalk,
// WhatsApp, Pinterest, Snapchat), as a channel id; none for a plain browser.
std::optional<std::string_view> channel_from_user_agent(std::string_view user_agent);

}  // namespace landed
