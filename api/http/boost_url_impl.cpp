// Boost.URL's compiled part, built into silo_api from Debian's libboost1.81-dev headers (its
// documented header-only mode), so no separate libboost_url package is needed. Included in
// exactly this one translation unit.
#include <boost/url/src.hpp>
