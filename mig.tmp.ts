import { migrateDeploy } from "@/lib/startup/migrate";
await migrateDeploy(process.argv[2]);
