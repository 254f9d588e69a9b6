# Standardtemaets ord på norsk bokmål. Et nettsted kan endre hvilket som helst
# av dem i sin egen i18n/nb.ftl (Project Fluent: https://projectfluent.org/).

## Rammen rundt hver side

skip-link = Gå til hovedinnholdet
nav-main = Hovedmeny
nav-breadcrumb = Brødsmulesti
nav-languages = Denne siden på andre språk
home = Forside
footer-disclaimer = Denne informasjonen erstatter ikke råd fra lege, sykepleier eller farmasøyt. Les alltid pakningsvedlegget.
footer-privacy = Dette nettstedet bruker ikke informasjonskapsler og henter ikke noe fra andre nettsteder.
feed-title = Nylig gjennomgåtte sider

## Legemiddelsider og artikler

generic-name = Virkestoff
brand-names = { $count ->
    [one] Handelsnavn
   *[other] Handelsnavn
}
fact-drug-class = Type legemiddel
fact-forms = Former
fact-used-for = Brukes mot
fact-atc = ATC-kode
rate-jump = Gi en vurdering av denne siden
rate-jump-where = (nederst på siden)
on-this-page = På denne siden
more-info = Mer informasjon
more-info-condition = { $condition }: alle legemidler på dette nettstedet
sources = Kilder
source-read = lest { $date }
review-dates = Gjennomgått
last-reviewed = Siden ble sist gjennomgått:
next-review = Neste gjennomgang:
reviewed-by = Gjennomgått av { $name }

## En oversettelse som er eldre enn kilden

# $language is the source's language named in itself, $source_lang its code.
translation-stale = Denne oversettelsen kan være utdatert. { $source_lang ->
    [en] Den engelske siden
   *[other] Siden på { $language }
} som den er oversatt fra, ble oppdatert { $date }.
translation-stale-link = { $source_lang ->
    [en] Les den engelske siden
   *[other] Les siden på { $language }
}

## Deling

share-native = Del denne siden
share-copy = Kopier lenken
share-email = Del på e-post
share-copied = Lenken er kopiert
share-copy-failed = Kunne ikke kopiere lenken

## Besøksteller (vises når tjenesten svarer)

visits-today = Denne siden har hatt { $count ->
    [one] { $count } besøk
   *[other] { $count } besøk
} i dag

## Vurdering

rate-heading = Gi en vurdering av denne siden
rate-legend = Hvor nyttig var denne siden? 1 er ikke nyttig, 5 er svært nyttig.
rate-comment = Kommentar (valgfritt)
rate-comment-hint = Ikke skriv personopplysninger, som navn, kontaktinformasjon eller opplysninger om helsen din.
rate-send = Send vurdering
rate-thanks = Takk. Vurderingen din er lagret.
rate-already = Du har allerede vurdert denne siden på denne enheten. Takk.
rate-failed = Beklager, vurderingen din kunne ikke sendes. Prøv igjen senere.
rate-choose = Velg en vurdering fra 1 til 5.
rate-sending = Sender vurderingen…

## Forside, seksjoner og sykdommer

sections = Seksjoner
page-count = { $count ->
    [one] { $count } side
   *[other] { $count } sider
}
more-information = Mer informasjon
section-empty = Det finnes ingen sider på dette språket her ennå.
conditions = Sykdommer
condition-count = { $count ->
    [one] { $count } sykdom
   *[other] { $count } sykdommer
}
conditions-intro = Finn legemidler etter sykdommen de brukes mot.
conditions-summary = Legemidler på dette nettstedet, etter sykdommen de brukes mot.
conditions-description = Legemidler etter sykdommen de brukes mot
medicine-count = { $count ->
    [one] { $count } legemiddel
   *[other] { $count } legemidler
}
condition-summary = Legemidler på dette nettstedet som brukes mot denne sykdommen.
condition-description = Legemidler som brukes mot { $condition }
all-conditions = Alle sykdommer

## Legemidler fra A til Å, lange lister i deler, nylig gjennomgåtte sider
# az-letters: alfabetet i A–Å-navigasjonen, i språkets rekkefølge, med
# mellomrom mellom; et navn som ikke begynner med noen av dem, står under #.

az-letters = A B C D E F G H I J K L M N O P Q R S T U V W X Y Z Æ Ø Å
az-nav = Legemidler fra A til Å
az-see = { $brand } – se { $generic }
az-continued = { $letter } (fortsatt)
part-of = side { $current } av { $total }
pagination-nav = Sider i denne listen
pagination-prev = Forrige side
pagination-next = Neste side
pagination-page = Side { $number }
recently-reviewed = Nylig gjennomgått
reviewed-on = gjennomgått { $date }

## Ord inne i sidens tekst

heading-link = Lenke til denne delen:
callout-note = Merk
callout-tip = Tips
callout-important = Viktig
callout-urgent = Råd som haster
callout-caution = Forsiktig

## Siden for en ukjent adresse

not-found-title = Fant ikke siden
not-found-text = Beklager, det finnes ingen side på denne adressen. Den kan ha blitt flyttet, eller adressen kan være skrevet feil.
not-found-home = Gå til forsiden
not-found-conditions = Finn legemidler etter sykdom

## Søk

search = Søk
search-description = Søk i sidene om legemidler etter navn, merkenavn, ATC-kode eller sykdom.
search-label = Søk etter legemidler og sykdommer
search-button = Søk
search-hint = Navnet på et legemiddel, et merkenavn, en ATC-kode eller en sykdom. Det gjør ikke noe om du staver feil.
search-no-script = Søket trenger JavaScript, som er slått av eller ikke virker i denne nettleseren. Du finner alle legemidlene i A–Å-listen.
search-az-link = Legemidler A–Å
search-searching = Søker …
search-none = Ingen treff for «{ $query }». Sjekk stavemåten, prøv merkenavnet på pakningen, eller bruk A–Å-listen.
search-failed = Søket virker ikke akkurat nå. Prøv igjen, eller bruk A–Å-listen.
search-results = { $count ->
    [one] { $count } treff for «{ $query }»
   *[other] { $count } treff for «{ $query }»
}
search-see = { $name }: se { $target }
search-kind-generic = Legemiddel
search-kind-brand = Merkenavn
search-kind-atc = ATC-kode
search-kind-condition = Sykdom
search-more = Vis flere treff

## Datoer: «1. november 2026»

date = { $day }. { $month } { $year }
month-1 = januar
month-2 = februar
month-3 = mars
month-4 = april
month-5 = mai
month-6 = juni
month-7 = juli
month-8 = august
month-9 = september
month-10 = oktober
month-11 = november
month-12 = desember
