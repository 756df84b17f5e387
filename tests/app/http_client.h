// A small libcurl client for end-to-end tests: real HTTP to the real server on loopback.
#pragma once

#include <curl/curl.h>

#include <map>
#include <string>
#include <vector>

namespace landed::test {

struct HttpResult {
  long status = 0;
  std::string body;
  mutable std::map<std::string, std::string> headers;  // names lowercased; [] on a const result is fine
  std::string error;                           // transport failure, empty on success
};

class HttpClient {
 public:
  explicit HttpClient(std::string base) : base_(std::move(base)), curl_(curl_easy_init()) {}
  ~HttpClient() { curl_easy_cleanup(curl_); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult request(const std::string& method, const std::string& path, const std::string& token = "",
                     const std::string& body = "", std::vector<std::string> headers = {}) {
    HttpResult out;
    curl_easy_reset(curl_);
    const std::string url = base_ + path;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    if (method == "POST") {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
      bool typed = false;
      for (const auto& h : headers) typed = typed || h.rfind("Content-Type:", 0) == 0;
      if (!typed) headers.push_back("Content-Type: application/json");
    }
    if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &HttpClient::write_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &out.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &HttpClient::write_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &out.headers);
    const CURLcode rc = curl_easy_perform(curl_);
    curl_slist_free_all(list);
    if (rc != CURLE_OK) {
      out.error = curl_easy_strerror(rc);
      return out;
    }
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &out.status);
    return out;
  }

 private:
  static std::size_t write_body(char* p, std::size_t size, std::size_t n, void* user) {
    static_cast<std::string*>(user)->append(p, size * n);
    return size * n;
  }
  static std::size_t write_header(char* p, std::size_t size, std::size_t n, void* user) {
    const std::string line(p, size * n);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
      (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
    }
    return size * n;
  }
  std::string base_;
  CURL* curl_;
};

}  // namespace landed::test
