// Paged listings: one loop for every List* command with --page-token and
// --all.
#ifndef JIANYAN_SERVICES_CLI_PAGING_H_
#define JIANYAN_SERVICES_CLI_PAGING_H_

#include <iostream>

namespace jianyan::cli {

// Calls fetch(request, &page) and each(page) for the page `request` asks
// for and, with `all`, every following one. Without `all`, a next page
// token is printed on stderr for the user to pass on.
template <typename Page, typename Request, typename Fetch, typename Each>
void ForEachPage(Request request, bool all, Fetch fetch, Each each) {
  while (true) {
    Page page;
    fetch(request, &page);
    each(page);
    if (page.next_page_token().empty()) return;
    if (!all) {
      std::cerr << "more: --page-token " << page.next_page_token()
                << " (or --all)\n";
      return;
    }
    request.set_page_token(page.next_page_token());
  }
}

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_PAGING_H_
