"""Find every page type of the running site by following it like a visitor.

Starting from the home page, the crawler follows same-site links and keeps the
first URL of each URL-pattern name (film-detail, person-detail, …): one page
of each type is enough to check the templates. It also fills in the forms it
meets: GET forms once with absurd values in every field (the page with the
form's errors), POST forms once empty (their error page); required-field
checks in the browser are switched off for that, as a hostile client would.
"""

from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

SKIPPED_PREFIXES = ("/static/", "/media/")

# Every named field gets this: letters where numbers, dates or choices are
# expected, so each field of a filter form shows its error.
ABSURD_VALUE = "zz<'\">"

# Search boxes get a word found in the seed catalogue; with `absurd`, every
# field gets the absurd value instead.
SEARCH_WORD = "heaven"
FILL_GET_FORM = """(form, [value, absurd]) => {
  const params = new URLSearchParams();
  for (const element of form.elements) {
    if (!element.name || element.type === "submit") continue;
    if (absurd) params.append(element.name, value);
    else if (element.type === "search") params.append(element.name, value);
  }
  const action = new URL(form.getAttribute("action") || location.href, location.href);
  action.search = params.toString();
  return action.href;
}"""


@dataclass
class PageType:
    name: str
    url: str
    # A POST form to submit empty once at `url`, giving its error page.
    post_form: int | None = None
    html: bytes = field(default=b"", repr=False)
    status: int = 200

    def visit(self, page):
        """Bring `page` to this page type; returns the final HTML response body."""
        response = page.goto(self.url)
        if self.post_form is None:
            assert response.status == self.status, f"{self.url}: {response.status}"
            return response.body()
        form = page.locator("form[method=post i]").nth(self.post_form)
        with page.expect_navigation() as navigation:
            form.evaluate("form => { form.noValidate = true; form.submit(); }")
        response = navigation.value
        assert response.status in (200, 400), f"{self.name}: {response.status}"
        return response.body()


def page_type_name(url):
    path = urlsplit(url).path
    if path.startswith(SKIPPED_PREFIXES) or path.startswith("/" + settings.ADMIN_PATH):
        return None
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawl(page, base_url, limit=200):
    """Page types of the site at base_url, in the order first met."""
    found = {}
    queue = [base_url + "/"]
    seen = set(queue)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        name = page_type_name(url)
        if name is None or name in found:
            continue
        response = page.goto(url)
        if not response.ok or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        found[name] = PageType(name, url, html=response.body())

        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            href = urldefrag(href).url
            if href.startswith(base_url + "/") and href not in seen:
                seen.add(href)
                queue.append(href)

        for form in page.locator("form:not([method=post i])").all():
            searched = form.evaluate(FILL_GET_FORM, [SEARCH_WORD, False])
            key = page_type_name(searched)
            if key and key not in found:
                found[key] = PageType(key, searched, html=page.request.get(searched).body())
            absurd = form.evaluate(FILL_GET_FORM, [ABSURD_VALUE, True])
            key = f"{page_type_name(absurd)} (form filled with absurd values)"
            if key not in found and page_type_name(absurd):
                found[key] = PageType(key, absurd, html=page.request.get(absurd).body())

        post_forms = page.locator("form[method=post i]")
        for index in range(post_forms.count()):
            action = post_forms.nth(index).get_attribute("action") or ""
            key = f"{name} (form {action} sent empty)"
            if key not in found:
                page_type = PageType(key, url, post_form=index)
                other = page.context.new_page()
                page_type.html = page_type.visit(other)
                other.close()
                found[key] = page_type
    missing = base_url + "/films/no-such-film/"
    found["page not found"] = PageType(
        "page not found", missing, html=page.request.get(missing).body(), status=404
    )
    return list(found.values())
