"""A small HTTP client that sends bytes exactly as given (invalid UTF-8,
broken percent-encoding, NUL bytes), keeps cookies like a browser, and reads
the links and forms of the HTML it gets back."""

import http.client
import json
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

CORPUS = Path(__file__).resolve().parent / "corpus.jsonl"

# Browsers, proxies and gunicorn (limit_request_line = 4094) refuse request
# lines much longer than this; longer values go whole in POST bodies only.
LONGEST_QUERY_VALUE = 8 * 1024


@dataclass(frozen=True)
class Hostile:
    """One value of the corpus. `wire` is what goes on the wire inside a
    query string or form body (percent-encoded); `text` is the decoded
    string for the reflection check, None for raw bytes."""

    category: str
    wire: str
    text: str | None

    @property
    def label(self):
        shown = self.text if self.text is not None else self.wire
        return f"{self.category}: {shown[:60]!r}" + (
            f" … ({len(shown)} chars)" if len(shown) > 60 else ""
        )


def load_corpus():
    values = []
    for line in CORPUS.read_text().splitlines():
        entry = json.loads(line)
        if "raw" in entry:
            values.append(Hostile(entry["category"], entry["raw"], None))
        else:
            text = entry["text"] * entry.get("repeat", 1)
            values.append(Hostile(entry["category"], quote(text, safe=""), text))
    return values


def encode_form(pairs):
    """application/x-www-form-urlencoded from (name, wire value) pairs; a
    name is quoted, a value is already on the wire."""
    return "&".join(f"{quote(name, safe='')}={value}" for name, value in pairs).encode("latin-1")


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def is_html(self):
        return self.headers.get("content-type", "").startswith("text/html")


class Client:
    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {}

    def request(self, method, target, body=None, content_type=None):
        """`target`: the path and query exactly as sent."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}/"
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            raw = connection.getresponse()
            response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
            for header, value in raw.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if "max-age=0" in value.lower() or cookie_value in ('""', ""):
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = cookie_value
            return response
        finally:
            connection.close()

    def get(self, target):
        return self.request("GET", target)

    def post(self, target, pairs, multipart=False):
        if multipart:
            body, content_type = multipart_body(pairs)
            return self.request("POST", target, body, content_type)
        return self.request("POST", target, encode_form(pairs))

    @property
    def csrf_token(self):
        return self.cookies.get("csrftoken", "")


def multipart_body(pairs):
    """multipart/form-data from (name, wire value, is_file) triples; values
    are percent-decoded to bytes (a form body carries bytes as they are)."""
    from urllib.parse import unquote_to_bytes

    boundary = uuid.uuid4().hex
    parts = []
    for name, value, *is_file in pairs:
        data = unquote_to_bytes(value)
        disposition = f'form-data; name="{name}"'
        if is_file and is_file[0]:
            disposition += '; filename="hostile.csv"'
        parts.append(
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    options: list = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    method: str
    action: str
    multipart: bool
    fields: list = field(default_factory=list)

    def field_names(self):
        names = []
        for item in self.fields:
            if item.name not in names and item.kind not in ("submit", "button", "image", "reset"):
                names.append(item.name)
        return names


class PageParser(HTMLParser):
    """Links (a[href]) and forms with their fields."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.links = []
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))
        elif tag == "a" and attrs.get("href"):
            self.links.append(urljoin(self.page_url, attrs["href"]))
        elif tag == "form":
            self._form = Form(
                method=attrs.get("method", "get").lower(),
                action=urljoin(self.page_url, attrs.get("action") or self.page_url),
                multipart="multipart" in attrs.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            self._form.fields.append(
                FormField(
                    attrs["name"],
                    attrs.get("type", "text").lower(),
                    attrs.get("value", ""),
                    checked="checked" in attrs,
                )
            )
        elif tag == "select":
            self._select = FormField(attrs["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = FormField(attrs["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "button" and attrs.get("name"):
            self._form.fields.append(FormField(attrs["name"], "submit", attrs.get("value", "")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(page_url, html):
    parser = PageParser(page_url)
    parser.feed(html)
    parser.close()
    return parser


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "background", "xlink:href"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")


class _UrlAttributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.dangerous = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                # Browsers ignore whitespace and control characters in a scheme.
                squeezed = "".join(c for c in value if c > " ").lower()
                if squeezed.startswith(DANGEROUS_SCHEMES):
                    self.dangerous.append(f"<{tag} {name}={value[:80]!r}>")

    handle_startendtag = handle_starttag


def dangerous_urls(html):
    """Links, sources and form actions whose URL would run script."""
    parser = _UrlAttributes()
    parser.feed(html)
    parser.close()
    return parser.dangerous
