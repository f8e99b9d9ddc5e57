<?php
// Score an office through apacore's HTTP API and print its total: what a PHP portal
// (Laravel or plain PHP) does. Needs only php-cli 8.1 or newer: no Composer package, no
// curl extension (PHP's own HTTP stream wrapper).
//
//   apacore serve &                                   # http://127.0.0.1:8000
//   php examples/clients/score.php examples/dakop-2024-25
//   php examples/clients/score.php examples/dakop-2024-25 http://127.0.0.1:8000 TOKEN
//
// Prints "OFFICE: MARKS of MAX (ruleset FY vVERSION, sha256 …, decision ID)" and exits 0;
// a problem (400, 409, …) is printed as the server's one line on standard error, exit 1.

declare(strict_types=1);

function fail(string $message): never
{
    fwrite(STDERR, "score.php: $message\n");
    exit(1);
}

$folder = $argv[1] ?? fail("usage: php score.php OFFICE_FOLDER [URL] [TOKEN]");
$url = rtrim($argv[2] ?? (getenv("APACORE_URL") ?: "http://127.0.0.1:8000"), "/");
$token = $argv[3] ?? (getenv("APACORE_TOKEN") ?: null);

$agreement = @file_get_contents("$folder/agreement.toml");
if ($agreement === false) {
    fail("$folder/agreement.toml: cannot read");
}
// The files go as their TOML text; a portal holding the data as arrays sends JSON objects
// of the same structure instead.
$request = ["agreement" => $agreement, "lang" => "bn"];
foreach (["report", "evaluation"] as $part) {  // both optional
    if (is_file("$folder/$part.toml")) {
        $request[$part] = file_get_contents("$folder/$part.toml");
    }
}

$headers = ["Content-Type: application/json", "Accept: application/json"];
if ($token !== null) {
    $headers[] = "Authorization: Bearer $token";
}
$context = stream_context_create([
    "http" => [
        "method" => "POST",
        "header" => implode("\r\n", $headers),
        "content" => json_encode($request, JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR),
        "ignore_errors" => true,  // read the problem's body on 4xx and 5xx too
        "timeout" => 60,
    ],
]);
$body = @file_get_contents("$url/v1/score", false, $context);
if ($body === false) {
    fail("$url: no answer");
}
preg_match('{^HTTP/\S+ (\d+)}', $http_response_header[0] ?? "", $status);
$answer = json_decode($body, true);
if (($status[1] ?? "") !== "200" || !is_array($answer)) {
    // RFC 9457 problem details: "detail" is the line `apacore score` would print
    fail(is_array($answer) ? ($answer["detail"] ?? $body) : "HTTP " . ($status[1] ?? "?"));
}

$ruleset = $answer["ruleset"];
printf(
    "%s: %s of %s (ruleset %s v%s, sha256 %s, decision %s)\n",
    $answer["office_bn"],
    $answer["total"]["marks"],
    $answer["total"]["max"],
    $ruleset["fiscal_year"],
    $ruleset["version"],
    $ruleset["sha256"],
    $answer["decision_id"],
);
foreach ($answer["notices"] as $notice) {
    fwrite(STDERR, "score.php: notice: $notice\n");
}
