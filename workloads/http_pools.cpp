#include "workloads/http_pools.hpp"

namespace concbench {

boost::asio::execution_context::id AsyncIdlePool::id;

}  // namespace concbench
