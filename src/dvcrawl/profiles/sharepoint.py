"""SharePoint 2013 e-portals of provincial and district people's committees.

Recognised by the rich-text field class and the ribbon; URLs look like /Pages/<slug>.aspx.
Bodies sit in ``ms-rtestate-field``; the title often only in a page-field div, since the
<title> of older sites is the same on every page.
"""

from dvcrawl.profiles.base import Profile
from dvcrawl.profiles.urlrules import UrlRules

PROFILE = Profile(
    name="sharepoint",
    markers=(
        ".ms-rtestate-field",
        "#s4-ribbonrow",
        "#s4-workspace",
        "[id^='ctl00_PlaceHolderMain']",
    ),
    title=(
        "[id$='TitleField'] ",
        ".ms-rtestate-field h1",
        "h1",
        ".page-title",
        ".title-news",
        "[class*='tieu-de']",
        "[class*='TieuDe']",
    ),
    date=("[id$='ArticleDate']", ".ngay-dang", ".date", "[class*='NgayDang']", "[class*='date']"),
    content=(
        ".ms-rtestate-field[id*='Content']",
        "[id$='RichHtmlField'] .ms-rtestate-field",
        ".ms-rtestate-field",
    ),
    exclude=("#s4-ribbonrow", ".ms-hide", ".s4-notdlg", "[id^='ctl00_PlaceHolderLeftNavBar']"),
    # List views page with ?Paged=TRUE&p_ID=..&PageFirstRow=11 (the first row of the page).
    urls=UrlRules(pagination=(r"[?&]pagefirstrow=\d+", r"[?&]paged=true")),
)
