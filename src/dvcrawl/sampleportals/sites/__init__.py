"""The sample portals, one module per CMS family modelled on a real seed page."""

from dvcrawl.sampleportals.sites.bentre import BenTre
from dvcrawl.sampleportals.sites.binhphuoc import BinhPhuoc
from dvcrawl.sampleportals.sites.danvan import DanVan
from dvcrawl.sampleportals.sites.hanam import HaNam
from dvcrawl.sampleportals.sites.hatinh import HaTinh

SITE_CLASSES = (HaNam, HaTinh, DanVan, BenTre, BinhPhuoc)
