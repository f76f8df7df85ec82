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

# Forms whose empty submission would end the crawl's session or destroy the
# rows it is crawling (or the notices it checks; an import's confirmation uses
# up the upload the crawl visits again), or answers with something else than
# a page (the export's ZIP); their pages are still checked, just not sent.
NOT_SENT_EMPTY = ("logout", "delete", "dismiss", "export", "import-preview")

# Every named field gets this: letters where numbers, dates or choices are
# expected, so each field of a filter form shows its error.
ABSURD_VALUE = "zz<'\">"

# Search boxes get a word found in the seed catalogue; with `absurd`, every
# field gets the absurd value instead.
SEARCH_WORD = "heaven"

# form.action is shadowed by a field named "action"; the attribute is not.
FORM_ACTION = """form =>
  new URL(form.getAttribute("action") || location.href, location.href).href"""

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
    # Where the POST form to submit empty at `url` sends its data.
    post_action: str | None = None
    html: bytes = field(default=b"", repr=False)
    status: int = 200

    def visit(self, page):
        """Bring `page` to this page type; returns the final HTML response body."""
        response = page.goto(self.url)
        if self.post_action is None:
            assert response.status == self.status, f"{self.url}: {response.status}"
            return response.body()
        forms = page.locator("form[method=post i]")
        actions = [forms.nth(i).evaluate(FORM_ACTION) for i in range(forms.count())]
        assert self.post_action in actions, f"{self.name}: no form to {self.post_action}"
        form = forms.nth(actions.index(self.post_action))
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


def crawl(page, base_url, start=("/",), limit=300, found=None):
    """Page types of the site at base_url, in the order first met.

    `found` holds page types already collected: a second crawl (logged in)
    visits every type again but adds only those the first one did not meet.
    """
    found = dict(found or {})
    visited = set()  # URL names this crawl has been to
    queue = [base_url + path for path in start]
    seen = set(queue)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        name = page_type_name(url)
        if name is None or name in visited:
            continue
        response = page.goto(url, wait_until="domcontentloaded")
        content_type = response.headers.get("content-type", "")
        if not response.ok or not content_type.startswith("text/html"):
            continue
        # Named after where it landed: review-create sends a fan who already
        # reviewed the film to review-edit.
        url, name = page.url, page_type_name(page.url) or name
        visited.add(name)
        found.setdefault(name, PageType(name, url, html=response.body()))

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
            action = post_forms.nth(index).evaluate(FORM_ACTION)
            target = page_type_name(action)
            if target is None or any(word in target for word in NOT_SENT_EMPTY):
                continue
            key = f"{target} (form sent empty)"
            if key not in found:
                page_type = PageType(key, url, post_action=action)
                other = page.context.new_page()
                page_type.html = page_type.visit(other)
                other.close()
                found[key] = page_type

    missing = base_url + "/films/no-such-film/"
    found["page not found"] = PageType(
        "page not found", missing, html=page.request.get(missing).body(), status=404
    )
    return found
