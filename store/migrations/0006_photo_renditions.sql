-- A photo's rendition (app/photo.Rendition): the photo scaled to 640 pixels
-- as a JPEG, made once when it is kept, for reports and thumbnails. NULL
-- when the photo is itself that small a JPEG.
ALTER TABLE photos ADD COLUMN rendition BLOB;
