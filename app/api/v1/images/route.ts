// GET /api/v1/images: images as the token may see them, with the images page's filters; {items, nextCursor}.
import { apiRoute, queryObject } from "@/lib/api/handler";
import { check } from "@/lib/admin/input";
import { readImages } from "@/lib/read-api/resources";
import { imagesPageSchema, imagesQuerySchema, type ImagesQuery } from "@/lib/read-api/schemas";

export const GET = apiRoute({ token: "read" }, async ({ url, token }) => {
  const query = check(imagesQuerySchema, queryObject(url)) as ImagesQuery;
  return Response.json(imagesPageSchema.parse(await readImages(token, query)));
});
