#include "payments/device.h"

#include <initializer_list>

namespace landed {
namespace {

bool has(std::string_view text, std::string_view token) { return text.find(token) != std::string_view::npos; }

bool has_any(std::string_view text, std::initializer_list<std::string_view> tokens) {
  for (std::string_view t : tokens)
    if (has(text, t)) return true;
  return false;
}

}  // namespace

std::optional<std::string_view> device_from_user_agent(std::string_view ua) {
  // Order matters: Android UAs say "Linux", iOS ones "like Mac OS X".
  if (has_any(ua, {"iPhone", "iPad", "iPod"})) return "ios";
  if (has(ua, "Android")) return "android";
  if (has_any(ua, {"Windows NT", "Macintosh", "X11", "CrOS", "Linux x86_64"})) return "desktop";
  return std::nullopt;
}

bool is_apple_desktop(std::string_view ua) { return has(ua, "Macintosh") && !has_any(ua, {"iPhone", "iPad", "iPod", "Android"}); }

std::optional<std::string_view> channel_from_user_agent(std::string_view ua) {
  // WeChat first: its UA may also carry other apps' SDK tokens.
  if (has(ua, "MicroMessenger")) return "wechat";
  // TikTok's app names itself musical_ly (trill in some markets); Douyin, its Chinese sibling, aweme.
  if (has_any(ua, {"musical_ly", "trill_", "TikTok"})) return "tiktok";
  if (has(ua, "aweme")) return "douyin";
  if (has(ua, "Instagram")) return "instagram";
  if (has_any(ua, {"FBAN", "FBAV", "FB_IAB"})) return "facebook";
  if (has(ua, "KAKAOTALK")) return "kakaotalk";
  if (has(ua, " Line/")) return "line";
  if (has(ua, "WhatsApp")) return "whatsapp";
  if (has(ua, "Pinterest")) return "pinterest";
  if (has(ua, "Snapchat")) return "snapchat";
  return std::nullopt;
}

}  // namespace landed
