// No [id] page lies below this boundary (page-skeleton.tsx says why that matters).
import { PageSkeleton } from "../../page-skeleton";

export default PageSkeleton;
