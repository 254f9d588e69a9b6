# The default theme's words in English. A site changes any of them in its own
# i18n/en.ftl, and gives another language its words in i18n/<code>.ftl
# (Project Fluent syntax: https://projectfluent.org/). Every message here must
# exist in every language of a site.

## The frame of every page

skip-link = Skip to main content
nav-main = Main
nav-breadcrumb = Breadcrumb
nav-languages = This page in other languages
home = Home
footer-disclaimer = This information does not replace advice from your doctor, nurse or pharmacist. Always read the package leaflet.
footer-privacy = This site sets no cookies and loads nothing from other websites.
# The title of the link to the site's Atom feed in every page's <head>.
feed-title = Recently reviewed pages

## Medication and article pages

generic-name = Generic name
brand-names = { $count ->
    [one] Brand name
   *[other] Brand names
}
fact-drug-class = Type of medicine
fact-forms = Forms
fact-used-for = Used for
fact-atc = ATC code
rate-jump = Please rate this page
rate-jump-where = (at the bottom of the page)
on-this-page = On this page
more-info = For more information
more-info-condition = { $condition }: all medicines on this site
sources = Sources
source-read = read { $date }
review-dates = Review dates
last-reviewed = Page last reviewed:
next-review = Next review due:
reviewed-by = Reviewed by { $name }

## A translation that is older than its source
# $language is the source's language named in itself ("Norsk"), $source_lang
# its code ("nb"), for languages that name it in their own words.

translation-stale = This translation may be out of date. The { $language } page it translates was updated on { $date }.
translation-stale-link = Read the { $language } page

## Share buttons

share-native = Share this page
share-copy = Copy link
share-email = Share by e-mail
share-copied = Link copied
share-copy-failed = Could not copy the link

## Visit counter (shown once the service answers)

visits-today = This page has had { $count ->
    [one] { $count } visit
   *[other] { $count } visits
} today

## Rating widget

rate-heading = Please rate this page
rate-legend = How useful was this page? 1 is not useful, 5 is very useful.
rate-comment = Comment (optional)
rate-comment-hint = Do not include personal information, such as your name, contact details or details about your health.
rate-send = Send rating
rate-thanks = Thank you. Your rating has been saved.
rate-already = You have already rated this page on this device. Thank you.
rate-failed = Sorry, your rating could not be sent. Please try again later.
rate-choose = Please choose a rating from 1 to 5.
rate-sending = Sending your rating…

## Home page, sections and conditions

sections = Sections
page-count = { $count ->
    [one] { $count } page
   *[other] { $count } pages
}
more-information = More information
section-empty = There are no pages in this language here yet.
conditions = Conditions
condition-count = { $count ->
    [one] { $count } condition
   *[other] { $count } conditions
}
conditions-intro = Find medicines by the condition they are used for.
conditions-summary = Medicines on this site, by the condition they are used for.
conditions-description = Medicines by the condition they are used for
medicine-count = { $count ->
    [one] { $count } medicine
   *[other] { $count } medicines
}
condition-summary = Medicines on this site that are used for this condition.
condition-description = Medicines used for { $condition }
all-conditions = All conditions

## A–Z index of medicines, long lists in parts, recently reviewed pages
# az-letters: the alphabet of the A–Z navigation, in the language's order,
# separated by spaces; a name that starts with none of them goes under #.

az-letters = A B C D E F G H I J K L M N O P Q R S T U V W X Y Z
az-nav = Medicines from A to Z
az-see = { $brand } – see { $generic }
az-continued = { $letter } (continued)
part-of = page { $current } of { $total }
pagination-nav = Pages of this list
pagination-prev = Previous page
pagination-next = Next page
pagination-page = Page { $number }
recently-reviewed = Recently reviewed
reviewed-on = reviewed { $date }

## Words inside a page's text

heading-link = Link to this section:
callout-note = Note
callout-tip = Tip
callout-important = Important
callout-urgent = Urgent advice
callout-caution = Caution

## The page for an unknown address

not-found-title = Page not found
not-found-text = Sorry, there is no page at this address. It may have moved, or the address may be mistyped.
not-found-home = Go to the home page
not-found-conditions = Find medicines by condition

## Search

search = Search
search-description = Search this site's pages about medicines by name, brand name, ATC code or condition.
search-label = Search medicines and conditions
search-button = Search
search-hint = A medicine's name, brand name or ATC code, or a condition. Spelling mistakes are fine.
search-no-script = Searching needs JavaScript, which is off or not working in this browser. You can find every medicine in the A–Z list.
search-az-link = Medicines A–Z
search-searching = Searching…
search-none = No results for “{ $query }”. Check the spelling, try the brand name on the box, or use the A–Z list.
search-failed = The search is not working right now. Try again, or use the A–Z list.
search-results = { $count ->
    [one] { $count } result for “{ $query }”
   *[other] { $count } results for “{ $query }”
}
search-see = { $name }: see { $target }
search-kind-generic = Medicine
search-kind-brand = Brand name
search-kind-atc = ATC code
search-kind-condition = Condition
search-more = Show more results

## Dates: "1 November 2026"

date = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
